//! Status words (SW1 SW2) with their ISO/IEC 7816-4 meanings.
//!
//! The chip answers every command with a two-byte status word. Most callers
//! only need a handful of them (success, end of file, wrong length, security
//! status not satisfied), but a reader that reports *why* a chip refused
//! something needs the full table, so every code that ISO/IEC 7816-4 §5.6
//! and Doc 9303-11 use is a variant of its own and everything else keeps its
//! raw value in [`StatusWord::Other`].

use core::fmt;

/// A status word, decoded to its ISO/IEC 7816-4 meaning.
///
/// `StatusWord::from(u16)` and `u16::from(StatusWord)` round-trip for every
/// value, so no information is lost by the typed view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusWord {
    /// `9000`: normal processing.
    Success,
    /// `61XX`: normal processing, `XX` more bytes available (GET RESPONSE);
    /// `00` means 256 or more.
    BytesAvailable(u8),
    /// `6281`: part of the returned data may be corrupted.
    DataMayBeCorrupted,
    /// `6282`: end of file reached before reading Ne bytes.
    EndOfFile,
    /// `6283`: selected file deactivated.
    FileDeactivated,
    /// `6284`: file control information not formatted per ISO 7816-4.
    FciNotFormatted,
    /// `62XX` (other): warning, non-volatile memory unchanged.
    WarningUnchanged(u8),
    /// `6300`: verification failed (Doc 9303: wrong access key in MUTUAL AUTHENTICATE).
    VerificationFailed,
    /// `63CX`: counter `X` (retries left).
    Counter(u8),
    /// `63XX` (other): warning, non-volatile memory changed.
    WarningChanged(u8),
    /// `6400`: execution error, non-volatile memory unchanged.
    ExecutionError,
    /// `6581`: memory failure.
    MemoryFailure,
    /// `65XX` (other): execution error, non-volatile memory changed.
    ExecutionErrorChanged(u8),
    /// `6700`: wrong length (Lc or Le).
    WrongLength,
    /// `6881`: logical channel not supported.
    LogicalChannelNotSupported,
    /// `6882`: secure messaging not supported.
    SecureMessagingNotSupported,
    /// `6883`: last command of the chain expected.
    LastCommandExpected,
    /// `6884`: command chaining not supported.
    ChainingNotSupported,
    /// `6981`: command incompatible with file structure.
    IncompatibleFileStructure,
    /// `6982`: security status not satisfied (access control not performed).
    SecurityStatusNotSatisfied,
    /// `6983`: authentication method blocked.
    AuthenticationMethodBlocked,
    /// `6984`: reference data not usable.
    ReferenceDataNotUsable,
    /// `6985`: conditions of use not satisfied.
    ConditionsOfUseNotSatisfied,
    /// `6986`: command not allowed (no current EF).
    NoCurrentEf,
    /// `6987`: expected secure-messaging data objects missing.
    SmDataObjectsMissing,
    /// `6988`: incorrect secure-messaging data objects (e.g. wrong MAC).
    SmDataObjectsIncorrect,
    /// `6A80`: incorrect parameters in the command data field.
    IncorrectData,
    /// `6A81`: function not supported.
    FunctionNotSupported,
    /// `6A82`: file or application not found.
    FileNotFound,
    /// `6A83`: record not found.
    RecordNotFound,
    /// `6A84`: not enough memory space in the file.
    NotEnoughMemory,
    /// `6A86`: incorrect parameters P1-P2.
    IncorrectP1P2,
    /// `6A88`: referenced data or reference data not found.
    ReferencedDataNotFound,
    /// `6B00`: wrong parameters P1-P2 (for READ BINARY: offset outside the EF).
    WrongP1P2,
    /// `6CXX`: wrong Le field; `XX` is the exact number of available bytes.
    WrongLe(u8),
    /// `6D00`: instruction code not supported or invalid.
    InsNotSupported,
    /// `6E00`: class not supported.
    ClaNotSupported,
    /// `6F00`: no precise diagnosis.
    NoPreciseDiagnosis,
    /// Any other value.
    Other(u16),
}

impl StatusWord {
    /// Builds the status word from SW1 and SW2.
    #[must_use]
    pub fn from_bytes(sw1: u8, sw2: u8) -> Self {
        Self::from(u16::from_be_bytes([sw1, sw2]))
    }

    /// The two bytes SW1 SW2.
    #[must_use]
    pub fn to_bytes(self) -> [u8; 2] {
        u16::from(self).to_be_bytes()
    }

    /// `true` for `9000`.
    #[must_use]
    pub fn is_success(self) -> bool {
        self == Self::Success
    }

    /// `true` for the process-completed classes `9000`, `61XX`, `62XX` and
    /// `63XX` (ISO 7816-4 §5.6: normal processing and warnings), i.e. the
    /// command was executed and any response data is meaningful.
    #[must_use]
    pub fn is_processing_completed(self) -> bool {
        matches!(u16::from(self) >> 8, 0x90 | 0x61 | 0x62 | 0x63)
    }
}

impl From<u16> for StatusWord {
    fn from(sw: u16) -> Self {
        let [sw1, sw2] = sw.to_be_bytes();
        match (sw1, sw2) {
            (0x90, 0x00) => Self::Success,
            (0x61, n) => Self::BytesAvailable(n),
            (0x62, 0x81) => Self::DataMayBeCorrupted,
            (0x62, 0x82) => Self::EndOfFile,
            (0x62, 0x83) => Self::FileDeactivated,
            (0x62, 0x84) => Self::FciNotFormatted,
            (0x62, x) => Self::WarningUnchanged(x),
            (0x63, 0x00) => Self::VerificationFailed,
            (0x63, x) if x & 0xF0 == 0xC0 => Self::Counter(x & 0x0F),
            (0x63, x) => Self::WarningChanged(x),
            (0x64, 0x00) => Self::ExecutionError,
            (0x65, 0x81) => Self::MemoryFailure,
            (0x65, x) => Self::ExecutionErrorChanged(x),
            (0x67, 0x00) => Self::WrongLength,
            (0x68, 0x81) => Self::LogicalChannelNotSupported,
            (0x68, 0x82) => Self::SecureMessagingNotSupported,
            (0x68, 0x83) => Self::LastCommandExpected,
            (0x68, 0x84) => Self::ChainingNotSupported,
            (0x69, 0x81) => Self::IncompatibleFileStructure,
            (0x69, 0x82) => Self::SecurityStatusNotSatisfied,
            (0x69, 0x83) => Self::AuthenticationMethodBlocked,
            (0x69, 0x84) => Self::ReferenceDataNotUsable,
            (0x69, 0x85) => Self::ConditionsOfUseNotSatisfied,
            (0x69, 0x86) => Self::NoCurrentEf,
            (0x69, 0x87) => Self::SmDataObjectsMissing,
            (0x69, 0x88) => Self::SmDataObjectsIncorrect,
            (0x6A, 0x80) => Self::IncorrectData,
            (0x6A, 0x81) => Self::FunctionNotSupported,
            (0x6A, 0x82) => Self::FileNotFound,
            (0x6A, 0x83) => Self::RecordNotFound,
            (0x6A, 0x84) => Self::NotEnoughMemory,
            (0x6A, 0x86) => Self::IncorrectP1P2,
            (0x6A, 0x88) => Self::ReferencedDataNotFound,
            (0x6B, 0x00) => Self::WrongP1P2,
            (0x6C, n) => Self::WrongLe(n),
            (0x6D, 0x00) => Self::InsNotSupported,
            (0x6E, 0x00) => Self::ClaNotSupported,
            (0x6F, 0x00) => Self::NoPreciseDiagnosis,
            _ => Self::Other(sw),
        }
    }
}

impl From<StatusWord> for u16 {
    fn from(sw: StatusWord) -> u16 {
        use StatusWord as S;
        match sw {
            S::Success => 0x9000,
            S::BytesAvailable(n) => 0x6100 | u16::from(n),
            S::DataMayBeCorrupted => 0x6281,
            S::EndOfFile => 0x6282,
            S::FileDeactivated => 0x6283,
            S::FciNotFormatted => 0x6284,
            S::WarningUnchanged(x) => 0x6200 | u16::from(x),
            S::VerificationFailed => 0x6300,
            S::Counter(x) => 0x63C0 | u16::from(x & 0x0F),
            S::WarningChanged(x) => 0x6300 | u16::from(x),
            S::ExecutionError => 0x6400,
            S::MemoryFailure => 0x6581,
            S::ExecutionErrorChanged(x) => 0x6500 | u16::from(x),
            S::WrongLength => 0x6700,
            S::LogicalChannelNotSupported => 0x6881,
            S::SecureMessagingNotSupported => 0x6882,
            S::LastCommandExpected => 0x6883,
            S::ChainingNotSupported => 0x6884,
            S::IncompatibleFileStructure => 0x6981,
            S::SecurityStatusNotSatisfied => 0x6982,
            S::AuthenticationMethodBlocked => 0x6983,
            S::ReferenceDataNotUsable => 0x6984,
            S::ConditionsOfUseNotSatisfied => 0x6985,
            S::NoCurrentEf => 0x6986,
            S::SmDataObjectsMissing => 0x6987,
            S::SmDataObjectsIncorrect => 0x6988,
            S::IncorrectData => 0x6A80,
            S::FunctionNotSupported => 0x6A81,
            S::FileNotFound => 0x6A82,
            S::RecordNotFound => 0x6A83,
            S::NotEnoughMemory => 0x6A84,
            S::IncorrectP1P2 => 0x6A86,
            S::ReferencedDataNotFound => 0x6A88,
            S::WrongP1P2 => 0x6B00,
            S::WrongLe(n) => 0x6C00 | u16::from(n),
            S::InsNotSupported => 0x6D00,
            S::ClaNotSupported => 0x6E00,
            S::NoPreciseDiagnosis => 0x6F00,
            S::Other(x) => x,
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StatusWord as S;
        let meaning: std::borrow::Cow<'static, str> = match *self {
            S::Success => "success".into(),
            S::BytesAvailable(n) => format!("{n} more bytes available").into(),
            S::DataMayBeCorrupted => "part of the returned data may be corrupted".into(),
            S::EndOfFile => "end of file reached before reading Le bytes".into(),
            S::FileDeactivated => "selected file deactivated".into(),
            S::FciNotFormatted => "FCI not formatted".into(),
            S::WarningUnchanged(_) => "warning (memory unchanged)".into(),
            S::VerificationFailed => "verification failed".into(),
            S::Counter(n) => format!("verification failed, {n} tries left").into(),
            S::WarningChanged(_) => "warning (memory changed)".into(),
            S::ExecutionError => "execution error (memory unchanged)".into(),
            S::MemoryFailure => "memory failure".into(),
            S::ExecutionErrorChanged(_) => "execution error (memory changed)".into(),
            S::WrongLength => "wrong length".into(),
            S::LogicalChannelNotSupported => "logical channel not supported".into(),
            S::SecureMessagingNotSupported => "secure messaging not supported".into(),
            S::LastCommandExpected => "last command of the chain expected".into(),
            S::ChainingNotSupported => "command chaining not supported".into(),
            S::IncompatibleFileStructure => "command incompatible with file structure".into(),
            S::SecurityStatusNotSatisfied => "security status not satisfied".into(),
            S::AuthenticationMethodBlocked => "authentication method blocked".into(),
            S::ReferenceDataNotUsable => "reference data not usable".into(),
            S::ConditionsOfUseNotSatisfied => "conditions of use not satisfied".into(),
            S::NoCurrentEf => "command not allowed (no current EF)".into(),
            S::SmDataObjectsMissing => "expected secure messaging data objects missing".into(),
            S::SmDataObjectsIncorrect => "incorrect secure messaging data objects".into(),
            S::IncorrectData => "incorrect parameters in the data field".into(),
            S::FunctionNotSupported => "function not supported".into(),
            S::FileNotFound => "file or application not found".into(),
            S::RecordNotFound => "record not found".into(),
            S::NotEnoughMemory => "not enough memory space".into(),
            S::IncorrectP1P2 => "incorrect parameters P1-P2".into(),
            S::ReferencedDataNotFound => "referenced data not found".into(),
            S::WrongP1P2 => "wrong parameters P1-P2 (offset outside the EF)".into(),
            S::WrongLe(n) => format!("wrong Le, {n} bytes available").into(),
            S::InsNotSupported => "instruction not supported".into(),
            S::ClaNotSupported => "class not supported".into(),
            S::NoPreciseDiagnosis => "no precise diagnosis".into(),
            S::Other(_) => "unknown status".into(),
        };
        write!(f, "{:04X} ({meaning})", u16::from(*self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips() {
        for raw in 0..=u16::MAX {
            assert_eq!(u16::from(StatusWord::from(raw)), raw, "{raw:04X}");
        }
    }

    #[test]
    fn typed_meanings() {
        assert_eq!(StatusWord::from(0x9000), StatusWord::Success);
        assert_eq!(StatusWord::from(0x6C10), StatusWord::WrongLe(0x10));
        assert_eq!(StatusWord::from(0x63C2), StatusWord::Counter(2));
        assert_eq!(
            StatusWord::from(0x6982),
            StatusWord::SecurityStatusNotSatisfied
        );
        assert!(StatusWord::EndOfFile.is_processing_completed());
        assert!(!StatusWord::FileNotFound.is_processing_completed());
        assert_eq!(
            StatusWord::FileNotFound.to_string(),
            "6A82 (file or application not found)"
        );
    }
}
