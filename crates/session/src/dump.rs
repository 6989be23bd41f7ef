//! Dump folders: one `EF.<name>.bin` per file, exactly the bytes of the
//! chip, plus `read-report.json` (statistics, no personal data).
//!
//! Files are written atomically (temporary file, then rename) so that a
//! crash never leaves a truncated file under a final name, and with
//! owner-only permissions because they hold personal data. A file cut off
//! by a failure is written as `EF.<name>.bin.incomplete`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::report::ReadReport;

/// Suffix of a file whose read was cut off.
pub const INCOMPLETE_SUFFIX: &str = ".incomplete";

/// Name of the report written beside the files.
pub const REPORT_FILE: &str = "read-report.json";

/// Writes the files of `report` into `dir` (created if missing) and
/// returns the paths written.
///
/// # Errors
/// Any I/O error.
pub fn write_dump(dir: &Path, report: &ReadReport) -> io::Result<Vec<PathBuf>> {
    create_private_dir(dir)?;
    let mut written = Vec::new();
    for (ef, data) in &report.files {
        let path = dir.join(ef.dump_file_name());
        write_private_atomically(&path, data)?;
        written.push(path);
    }
    if let Some(incomplete) = &report.incomplete {
        let path = dir.join(format!(
            "{}{INCOMPLETE_SUFFIX}",
            incomplete.ef.dump_file_name()
        ));
        write_private_atomically(&path, &incomplete.data)?;
        written.push(path);
    }
    let json = serde_json::to_vec_pretty(report).map_err(io::Error::other)?;
    let path = dir.join(REPORT_FILE);
    write_private_atomically(&path, &json)?;
    written.push(path);
    Ok(written)
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Writes `data` to `path` through a temporary file in the same directory.
///
/// # Errors
/// Any I/O error.
pub fn write_private_atomically(path: &Path, data: &[u8]) -> io::Result<()> {
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::other("path has no file name"))?;
    let tmp = path.with_file_name(format!(".{}.tmp", file_name.to_string_lossy()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(data)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path)
}
