//! Exit codes of `mrtd`, stable from the first release (see README).

use std::process::ExitCode;

/// Why `mrtd` ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// 0: success.
    Success = 0,
    /// 1: the document failed validation.
    Invalid = 1,
    /// 2: usage or input error.
    Usage = 2,
    /// 3: reader, card or communication failure.
    Communication = 3,
    /// 4: access control refused (wrong MRZ or CAN).
    AccessDenied = 4,
    /// 5: validation verdict unknown (no trust anchor).
    Unknown = 5,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// An error with the exit code it ends the program with.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub exit: Exit,
    /// What to tell the user.
    pub message: String,
    /// Machine-readable kind for `--json`.
    pub kind: &'static str,
}

impl Failure {
    /// A usage or input error.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            message: message.into(),
            kind: "usage",
        }
    }

    /// A reader, card or communication failure.
    pub fn communication(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Communication,
            message: message.into(),
            kind: "communication",
        }
    }
}
