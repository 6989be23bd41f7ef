//! `mrtd show DIR`: every file of a dump folder, parsed and shown — the
//! names, dates (ISO form), document number, nationality, the MRZ with
//! its check digits, image sizes and formats, security infos, and every
//! defect a lenient parse tolerated (`--strict` makes them errors).
//!
//! The output contains personal data because the user asked to see it;
//! it goes to standard output only, never to the log. `--json` follows
//! `docs/show-json.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;
use mrtd_lds::security_infos::oid;
use mrtd_lds::{
    BlockFormat, DgNumber, EfId, ImageFormat, LdsFile, LdsWarning, ParseOptions, parse_file,
};
use serde_json::{Value, json};

use crate::CmdResult;
use crate::exit::{Exit, Failure};

/// Arguments of `mrtd show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The dump folder (`mrtd read --out`, or another tool's: DG1.bin,
    /// Datagroup1.bin, EF_DG1.bin, EF_SOD.bin, COM.bin, EF.CardAccess, …).
    #[arg(value_name = "DIR")]
    dir: PathBuf,

    /// Print one JSON object (schema: docs/show-json.md).
    #[arg(long)]
    json: bool,

    /// Write the face (DG2, else the DG5 portrait) as PNG to this file.
    #[arg(long, value_name = "OUT.png")]
    face: Option<PathBuf>,

    /// Treat every tolerated defect as an error.
    #[arg(long)]
    strict: bool,
}

/// The version of the JSON schema of `docs/show-json.md`.
const SCHEMA: &str = "mrtd-show/1";

/// The file a dump-folder name stands for: the names `mrtd read` writes
/// (`EF.DG1.bin`), those of other tools (`DG1.bin`, `Datagroup1.bin`,
/// `EF_DG1.bin`, `EF_SOD.bin`, `SOD.bin`, `COM.bin`, `EF_CardAccess.bin`,
/// `EF.CardAccess`, JMRTD's `ef0101.bin` by file identifier), any case.
pub fn ef_from_file_name(name: &str) -> Option<EfId> {
    let lower = name.to_ascii_lowercase();
    let stem = ["bin", "dat", "der", "ber", "dump"]
        .iter()
        .find_map(|ext| lower.strip_suffix(&format!(".{ext}")))
        .unwrap_or(&lower);
    let bare = stem
        .strip_prefix("ef.")
        .or_else(|| stem.strip_prefix("ef_"))
        .or_else(|| stem.strip_prefix("ef-"))
        .unwrap_or(stem);
    if let Some(n) = bare
        .strip_prefix("datagroup")
        .or_else(|| bare.strip_prefix("data_group"))
    {
        return n.parse::<u8>().ok().and_then(DgNumber::new).map(EfId::Dg);
    }
    if let Ok(ef) = bare.parse::<EfId>() {
        return Some(ef);
    }
    // File identifiers (ef011E, ef0101, 011C …), as some tools name them.
    let fid = stem.strip_prefix("ef").unwrap_or(stem);
    if fid.len() == 4 && fid.bytes().all(|b| b.is_ascii_hexdigit()) {
        let fid = u16::from_str_radix(fid, 16).ok()?;
        return match fid {
            0x011E => Some(EfId::Com),
            0x011D => Some(EfId::Sod),
            0x011C => Some(EfId::CardAccess),
            0x2F01 => Some(EfId::AtrInfo),
            0x0101..=0x0110 => DgNumber::new((fid - 0x0100) as u8).map(EfId::Dg),
            _ => None,
        };
    }
    None
}

/// Runs `mrtd show`.
pub fn run(args: &ShowArgs) -> CmdResult {
    let options = if args.strict {
        ParseOptions::STRICT
    } else {
        ParseOptions::LENIENT
    };
    let entries = std::fs::read_dir(&args.dir).map_err(|e| {
        Failure::usage(format!(
            "cannot read the folder {}: {e}",
            args.dir.display()
        ))
    })?;
    let mut names: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    names.sort();

    let mut by_ef: BTreeMap<EfId, (String, PathBuf)> = BTreeMap::new();
    let mut skipped = Vec::new();
    for (name, path) in names {
        match ef_from_file_name(&name) {
            Some(ef) if by_ef.contains_key(&ef) => skipped.push(json!({
                "name": name,
                "reason": format!("another file already holds {ef}"),
            })),
            Some(ef) => {
                by_ef.insert(ef, (name, path));
            }
            None => skipped.push(json!({"name": name, "reason": "not an LDS file name"})),
        }
    }
    if by_ef.is_empty() {
        return Err(Failure::usage(format!(
            "no LDS file in {} (expected names like EF.DG1.bin, DG1.bin, EF_SOD.bin)",
            args.dir.display()
        )));
    }

    let mut files = Vec::new();
    let mut parsed: BTreeMap<EfId, LdsFile> = BTreeMap::new();
    let mut failed = false;
    for (ef, (name, path)) in &by_ef {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        let mut entry = json!({
            "name": name,
            "ef": ef.name(),
            "size": bytes.len(),
        });
        match parse_file(*ef, &bytes, options) {
            Ok(p) => {
                entry["status"] = json!("ok");
                entry["warnings"] = Value::Array(p.warnings.iter().map(warning).collect());
                let mut content = content(&p.value);
                if let Some(extra) = image_checks(&p.value)
                    && let Some(ws) = entry["warnings"].as_array_mut()
                {
                    ws.extend(extra.iter().map(|m| {
                        json!({"ef": ef.name(), "offset": null, "defect": {"kind": "image_size"}, "message": m})
                    }));
                }
                if content.is_null() {
                    content = json!({});
                }
                entry["content"] = content;
                parsed.insert(*ef, p.value);
            }
            Err(e) => {
                failed = true;
                entry["status"] = json!("error");
                entry["error"] = json!(e.to_string());
                entry["warnings"] = json!([]);
            }
        }
        files.push(entry);
    }

    let document = parsed.iter().find_map(|(_, f)| match f {
        LdsFile::Dg1(dg1) => Some(mrz_view(&dg1.mrz)),
        _ => None,
    });

    let mut face = Value::Null;
    let mut face_error = None;
    if let Some(out) = &args.face {
        match write_face(&parsed, out) {
            Ok(v) => face = v,
            Err(msg) => face_error = Some(msg),
        }
    }

    let exit = if failed { Exit::Invalid } else { Exit::Success };
    let value = json!({
        "schema": SCHEMA,
        "dir": args.dir.display().to_string(),
        "strict": args.strict,
        "status": if failed { "defective" } else { "ok" },
        "exit_code": if face_error.is_some() { Exit::Usage as u8 } else { exit as u8 },
        "document": document,
        "files": files,
        "skipped": skipped,
        "face": face,
        "error": face_error,
    });
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        print_human(&value);
    }
    if let Some(msg) = face_error {
        return Err(Failure::usage(msg));
    }
    Ok(exit)
}

fn warning(w: &LdsWarning) -> Value {
    json!({
        "ef": w.ef.name(),
        "offset": w.offset,
        "defect": serde_json::to_value(&w.defect).unwrap_or(Value::Null),
        "message": w.to_string(),
    })
}

/// Two-digit MRZ years as four digits: expiry in this century, birth in
/// the last one when it would otherwise lie in the future.
fn century(yy: u8, birth: bool) -> u32 {
    let this_year = current_year();
    let y = 2000 + u32::from(yy);
    if birth && y > this_year { y - 100 } else { y }
}

fn current_year() -> u32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days to civil year (H. Hinnant's algorithm), precise enough here.
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days / 146_097;
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as u32
}

fn mrz_date_iso(d: mrtd_mrz::MrzDate, birth: bool) -> Value {
    match (d.yy(), d.mm(), d.dd()) {
        (Some(y), Some(m), Some(dd)) if d.is_plausible() => {
            json!(format!("{:04}-{m:02}-{dd:02}", century(y, birth)))
        }
        _ => Value::Null,
    }
}

fn mrz_view(mrz: &mrtd_mrz::Mrz) -> Value {
    let checks: Vec<Value> = mrz
        .check_digits()
        .iter()
        .map(|(field, v)| {
            json!({"field": field.name(), "found": v.found.to_string(), "computed": v.computed.to_string(), "valid": v.valid})
        })
        .collect();
    json!({
        "format": format!("{:?}", mrz.format()).to_uppercase(),
        "mrz": mrz.lines(),
        "document_code": mrz.document_code(),
        "issuing_state": mrz.issuing_state(),
        "document_number": mrz.document_number(),
        "primary_identifier": mrz.primary_identifier(),
        "secondary_identifier": mrz.secondary_identifier(),
        "nationality": mrz.nationality(),
        "date_of_birth": mrz.date_of_birth().as_str(),
        "date_of_birth_iso": mrz_date_iso(mrz.date_of_birth(), true),
        "sex": mrz.sex().to_char().to_string(),
        "date_of_expiry": mrz.date_of_expiry().as_str(),
        "date_of_expiry_iso": mrz_date_iso(mrz.date_of_expiry(), false),
        "optional_data": mrz.optional_data(),
        "check_digits": checks,
        "check_digits_valid": mrz.check_digits().all_valid(),
    })
}

fn image_view(bytes: &[u8], stated: Option<(u16, u16)>) -> Value {
    let format = ImageFormat::detect(bytes);
    let decoded = mrtd_face::dimensions(bytes).ok();
    json!({
        "format": format.to_string(),
        "encoding": format.extension(),
        "bytes": bytes.len(),
        "width": decoded.map(|d| d.0),
        "height": decoded.map(|d| d.1),
        "stated_width": stated.map(|s| s.0),
        "stated_height": stated.map(|s| s.1),
    })
}

/// Images whose record states another size than the image has.
fn image_checks(file: &LdsFile) -> Option<Vec<String>> {
    let LdsFile::Dg2(dg2) = file else { return None };
    let mut out = Vec::new();
    for img in dg2.images() {
        if (img.width, img.height) == (0, 0) {
            continue;
        }
        if let Ok((w, h)) = mrtd_face::dimensions(&img.bytes)
            && (u32::from(img.width), u32::from(img.height)) != (w, h)
        {
            out.push(format!(
                "the face record states {} x {} pixels, the image is {w} x {h}",
                img.width, img.height
            ));
        }
    }
    (!out.is_empty()).then_some(out)
}

fn opt_date(d: Option<&mrtd_lds::LdsDate>) -> Value {
    d.map_or(
        Value::Null,
        |d| json!({"value": d.as_str(), "iso": d.iso(), "bcd": d.is_bcd()}),
    )
}

fn names(n: Option<&Vec<mrtd_lds::Name>>) -> Value {
    n.map_or(Value::Null, |v| {
        json!(v.iter().map(name).collect::<Vec<_>>())
    })
}

fn name(n: &mrtd_lds::Name) -> Value {
    json!({"text": n.0, "primary_identifier": n.primary_identifier(), "secondary_identifier": n.secondary_identifier()})
}

fn security_infos(infos: &mrtd_lds::SecurityInfos) -> Value {
    json!(
        infos
            .infos
            .iter()
            .map(|i| json!({
                "type": i.type_name(),
                "protocol": oid::display_name(&i.protocol()),
                "oid": i.protocol().to_string(),
                "description": i.to_string(),
            }))
            .collect::<Vec<_>>()
    )
}

fn content(file: &LdsFile) -> Value {
    match file {
        LdsFile::Com(c) => json!({
            "lds_version": c.lds_version.to_string(),
            "unicode_version": c.unicode_version.to_string(),
            "data_groups": c.data_groups.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
        LdsFile::Sod(s) => json!({
            "digest_algorithm": oid::display_name(&s.digest_algorithm()),
            "lds_security_object_version": s.lds_security_object().version,
            "lds_version": s.lds_version().map(|(l, u)| json!({"lds": l, "unicode": u})),
            "data_groups": s.data_group_hashes().map(|(d, h)| json!({"dg": d.to_string(), "hash": hex::encode_upper(h)})).collect::<Vec<_>>(),
            "certificates": s.certificates_der().count(),
            "signer_infos": s.raw_signer_infos().count(),
        }),
        LdsFile::Dg1(d) => json!({"mrz": mrz_view(&d.mrz)}),
        LdsFile::Dg2(d) => json!({"faces": d.faces.iter().map(|f| {
            let (format, images): (&str, Vec<Value>) = match &f.data {
                mrtd_lds::FaceData::Iso19794_5(r) => ("ISO/IEC 19794-5", r.images.iter().map(|i| {
                    let mut v = image_view(&i.image.bytes, Some((i.image.width, i.image.height)));
                    v["feature_points"] = json!(i.feature_points.len());
                    v
                }).collect()),
                mrtd_lds::FaceData::Iso39794_5(b) => ("ISO/IEC 39794-5", b.representations.iter().map(|r| {
                    let stated = (r.image.width, r.image.height);
                    let mut v = image_view(&r.image.bytes, (stated != (0, 0)).then_some(stated));
                    v["landmarks"] = json!(r.landmarks.len());
                    v
                }).collect()),
                _ => ("undecoded", Vec::new()),
            };
            json!({"format": format, "format_owner": format!("{:04X}", f.header.format_owner), "format_type": format!("{:04X}", f.header.format_type), "images": images})
        }).collect::<Vec<_>>()}),
        LdsFile::Biometric(b) => json!({"records": b.records.iter().map(|r| {
            let format = r.data.format();
            let fingers = match &format {
                BlockFormat::Iso19794_4 { fingers } => fingers.iter().map(|f| json!({
                    "position": f.position, "width": f.width, "height": f.height,
                    "image_format": f.format().to_string(), "bytes": f.image.len(),
                })).collect(),
                _ => Vec::new(),
            };
            json!({"format": format.to_string(), "bytes": r.data.bytes.len(), "fingers": fingers})
        }).collect::<Vec<_>>()}),
        LdsFile::Displayed(d) => {
            json!({"images": d.images.iter().map(|i| image_view(i, None)).collect::<Vec<_>>()})
        }
        LdsFile::Dg11(d) => json!({
            "full_name": d.full_name.as_ref().map(name),
            "other_names": names(d.other_names.as_ref()),
            "personal_number": d.personal_number,
            "full_date_of_birth": opt_date(d.full_date_of_birth.as_ref()),
            "place_of_birth": d.place_of_birth,
            "permanent_address": d.permanent_address,
            "telephone": d.telephone,
            "profession": d.profession,
            "title": d.title,
            "personal_summary": d.personal_summary,
            "proof_of_citizenship": d.proof_of_citizenship.as_ref().map(|i| image_view(i, None)),
            "other_valid_td_numbers": d.other_valid_td_numbers,
            "custody_information": d.custody_information,
        }),
        LdsFile::Dg12(d) => json!({
            "issuing_authority": d.issuing_authority,
            "date_of_issue": opt_date(d.date_of_issue.as_ref()),
            "other_persons": names(d.other_persons.as_ref()),
            "endorsements": d.endorsements,
            "tax_exit_requirements": d.tax_exit_requirements,
            "front_image": d.front_image.as_ref().map(|i| image_view(i, None)),
            "rear_image": d.rear_image.as_ref().map(|i| image_view(i, None)),
            "personalisation_date_time": opt_date(d.personalisation_date_time.as_ref()),
            "personalisation_system_serial": d.personalisation_system_serial,
        }),
        LdsFile::Dg13(d) => json!({"bytes": d.content.len()}),
        LdsFile::Dg14(d) => json!({"security_infos": security_infos(&d.security_infos)}),
        LdsFile::Dg15(d) => json!({
            "algorithm": d.public_key.algorithm().to_string(),
            "algorithm_oid": d.public_key.algorithm_oid().to_string(),
            "key_der_bytes": d.public_key.as_der().len(),
        }),
        LdsFile::Dg16(d) => json!({"persons": d.persons.iter().map(|p| json!({
            "date_recorded": opt_date(p.date_recorded.as_ref()),
            "name": p.name.as_ref().map(name),
            "telephone": p.telephone,
            "address": p.address,
        })).collect::<Vec<_>>()}),
        LdsFile::CardAccess(s) => json!({"security_infos": security_infos(s)}),
        LdsFile::CardSecurity(c) => json!({
            "econtent_type": oid::display_name(&c.encapsulated_content_type()),
            "security_infos": security_infos(c.security_infos()),
            "certificates": c.certificates_der().count(),
            "signer_infos": c.raw_signer_infos().count(),
        }),
        LdsFile::Raw(b) => json!({"bytes": b.len()}),
        _ => Value::Null,
    }
}

fn write_face(parsed: &BTreeMap<EfId, LdsFile>, out: &Path) -> Result<Value, String> {
    let mut candidates: Vec<(&str, &[u8])> = Vec::new();
    for f in parsed.values() {
        match f {
            LdsFile::Dg2(d) => {
                candidates.extend(d.images().map(|i| ("EF.DG2", i.bytes.as_slice())))
            }
            LdsFile::Displayed(d) if d.dg.get() == 5 => {
                candidates.extend(d.images.iter().map(|i| ("EF.DG5", i.as_slice())));
            }
            _ => {}
        }
    }
    let (source, bytes) = candidates
        .first()
        .copied()
        .ok_or_else(|| "no face image (DG2 or DG5) in the folder".to_string())?;
    let rgb =
        mrtd_face::decode(bytes).map_err(|e| format!("cannot decode the face of {source}: {e}"))?;
    let png = rgb.to_png().map_err(|e| e.to_string())?;
    std::fs::write(out, png).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(json!({
        "written": out.display().to_string(),
        "source": source,
        "format": rgb.format.to_string(),
        "width": rgb.width,
        "height": rgb.height,
    }))
}

// ------------------------------------------------------------ human view

fn print_human(v: &Value) {
    if let Some(doc) = v.get("document").filter(|d| !d.is_null()) {
        let s = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or("");
        println!(
            "{} {} document {} of {} {}, nationality {}",
            s("format"),
            s("document_code"),
            s("document_number"),
            s("primary_identifier"),
            s("secondary_identifier"),
            s("nationality"),
        );
        println!(
            "  born {} ({}), sex {}, expires {} ({}), issued by {}",
            doc["date_of_birth_iso"].as_str().unwrap_or("?"),
            s("date_of_birth"),
            s("sex"),
            doc["date_of_expiry_iso"].as_str().unwrap_or("?"),
            s("date_of_expiry"),
            s("issuing_state"),
        );
    }
    for f in v["files"].as_array().into_iter().flatten() {
        let status = f["status"].as_str().unwrap_or("");
        println!(
            "\n{} ({}, {} bytes){}",
            f["ef"].as_str().unwrap_or(""),
            f["name"].as_str().unwrap_or(""),
            f["size"],
            if status == "ok" {
                String::new()
            } else {
                format!(": ERROR {}", f["error"].as_str().unwrap_or(""))
            }
        );
        if let Some(c) = f.get("content") {
            render(c, 1);
        }
        for w in f["warnings"].as_array().into_iter().flatten() {
            println!("  warning: {}", w["message"].as_str().unwrap_or(""));
        }
    }
    for s in v["skipped"].as_array().into_iter().flatten() {
        println!(
            "\nskipped {}: {}",
            s["name"].as_str().unwrap_or(""),
            s["reason"].as_str().unwrap_or("")
        );
    }
    if let Some(face) = v.get("face").filter(|f| !f.is_null()) {
        println!(
            "\nface from {} ({}, {} x {}) written to {}",
            face["source"].as_str().unwrap_or(""),
            face["format"].as_str().unwrap_or(""),
            face["width"],
            face["height"],
            face["written"].as_str().unwrap_or("")
        );
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.to_string()),
        _ => None,
    }
}

fn render(v: &Value, depth: usize) {
    let pad = "  ".repeat(depth);
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                let label = k.replace('_', " ");
                match val {
                    Value::Null => {}
                    Value::Array(a) if k == "mrz" => {
                        println!("{pad}{label}:");
                        for line in a.iter().filter_map(scalar) {
                            println!("{pad}  {line}");
                        }
                    }
                    Value::Array(a) if k == "check_digits" => {
                        let items: Vec<String> = a
                            .iter()
                            .map(|c| {
                                let s = |f: &str| c[f].as_str().unwrap_or("").to_string();
                                if c["valid"].as_bool() == Some(true) {
                                    format!("{} {} ok", s("field"), s("found"))
                                } else {
                                    format!(
                                        "{} {} WRONG (computes to {})",
                                        s("field"),
                                        s("found"),
                                        s("computed")
                                    )
                                }
                            })
                            .collect();
                        println!("{pad}{label}: {}", items.join("; "));
                    }
                    Value::Array(a) if a.is_empty() => {}
                    Value::Array(a) if a.iter().all(|x| scalar(x).is_some()) => {
                        let items: Vec<String> = a.iter().filter_map(scalar).collect();
                        println!("{pad}{label}: {}", items.join(", "));
                    }
                    Value::Array(a) => {
                        println!("{pad}{label}:");
                        for (i, item) in a.iter().enumerate() {
                            match scalar(item) {
                                Some(s) => println!("{pad}  - {s}"),
                                None => {
                                    println!("{pad}  [{}]", i + 1);
                                    render(item, depth + 2);
                                }
                            }
                        }
                    }
                    Value::Object(_) => {
                        println!("{pad}{label}:");
                        render(val, depth + 1);
                    }
                    other => println!("{pad}{label}: {}", scalar(other).unwrap_or_default()),
                }
            }
        }
        other => {
            if let Some(s) = scalar(other) {
                println!("{pad}{s}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_of_every_tool() {
        let dg = |n| Some(EfId::Dg(DgNumber::new(n).unwrap()));
        for (name, ef) in [
            ("EF.DG1.bin", dg(1)),
            ("DG1.bin", dg(1)),
            ("dg1.bin", dg(1)),
            ("Datagroup1.bin", dg(1)),
            ("Datagroup14.bin", dg(14)),
            ("EF_DG1.bin", dg(1)),
            ("EF_DG16.BIN", dg(16)),
            ("EF_SOD.bin", Some(EfId::Sod)),
            ("SOD.bin", Some(EfId::Sod)),
            ("EF.SOD.bin", Some(EfId::Sod)),
            ("EF_COM.bin", Some(EfId::Com)),
            ("COM.bin", Some(EfId::Com)),
            ("EF.CardAccess", Some(EfId::CardAccess)),
            ("EF_CardAccess.bin", Some(EfId::CardAccess)),
            ("ef.cardsecurity.bin", Some(EfId::CardSecurity)),
            ("EF.ATR-INFO.bin", Some(EfId::AtrInfo)),
            ("ef011E.bin", Some(EfId::Com)),
            ("ef0102.bin", dg(2)),
            ("read-report.json", None),
            ("EF.DG2.bin.incomplete", None),
            ("DG17.bin", None),
            ("photo.jpg", None),
        ] {
            assert_eq!(ef_from_file_name(name), ef, "{name}");
        }
    }

    #[test]
    fn centuries() {
        assert_eq!(century(12, false), 2012);
        assert!(current_year() >= 2025);
        assert_eq!(century(99, true), 1999);
        assert_eq!(century(0, true), 2000);
    }
}
