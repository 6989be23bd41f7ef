//! JUnit XML, the format CI dashboards read.

use core::fmt::Write as _;

use crate::case::Outcome;
use crate::runner::RunReport;

/// The report as a JUnit XML document: one `testsuite` named `suite`, one
/// `testcase` per case (`classname` = the id up to its last dot).
#[must_use]
pub fn to_junit(report: &RunReport, suite: &str) -> String {
    let total_ms: u64 = report.results.iter().map(|r| r.millis).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3}\">",
        escape(suite),
        report.results.len(),
        report.failed,
        report.skipped,
        total_ms as f64 / 1000.0
    );
    for r in &report.results {
        let (class, name) = r.case.id.rsplit_once('.').unwrap_or(("", &r.case.id));
        let _ = write!(
            xml,
            "  <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">",
            escape(class),
            escape(name),
            r.millis as f64 / 1000.0
        );
        match &r.outcome {
            Outcome::Pass { .. } => {}
            Outcome::Fail { reason } => {
                let _ = write!(
                    xml,
                    "<failure message=\"{}\">source: {}\nexpected: {}</failure>",
                    escape(reason),
                    escape(&r.case.source),
                    escape(&r.case.expectation)
                );
            }
            Outcome::Skip { reason } => {
                let _ = write!(xml, "<skipped message=\"{}\"/>", escape(reason));
            }
        }
        xml.push_str("</testcase>\n");
    }
    xml.push_str("</testsuite>\n");
    xml
}

/// XML 1.0 text and attribute escaping; characters XML cannot carry at all
/// (most C0 controls) become U+FFFD.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Case, Context};

    #[test]
    fn failures_and_skips_are_marked_and_text_is_escaped() {
        let cases = vec![
            Case::new("a.b.ok", "src", "x", |_| Outcome::pass("")),
            Case::new("a.b.bad", "src <1>", "x & y", |_| {
                Outcome::fail("got \"2\"\u{1}")
            }),
            Case::new("a.skip", "src", "x", |_| Outcome::Skip {
                reason: "no reader".into(),
            }),
        ];
        let report = crate::runner::run(cases, &[], &Context::from_checkout(), 1);
        let xml = to_junit(&report, "mrtd");
        assert!(
            xml.contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""),
            "{xml}"
        );
        assert!(
            xml.contains("<testcase classname=\"a.b\" name=\"bad\""),
            "{xml}"
        );
        assert!(
            xml.contains("message=\"got &quot;2&quot;\u{FFFD}\""),
            "{xml}"
        );
        assert!(
            xml.contains("source: src &lt;1&gt;\nexpected: x &amp; y</failure>"),
            "{xml}"
        );
        assert!(xml.contains("<skipped message=\"no reader\"/>"), "{xml}");
    }
}
