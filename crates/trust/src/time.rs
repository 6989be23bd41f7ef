//! Points in time, as the verifier needs them: seconds since the Unix
//! epoch (UTC), convertible from certificate and CMS times and printed in
//! RFC 3339 form. There is no clock here: the verification time is always
//! a parameter (the CLI reads the clock, the library never does).

use core::fmt;
use core::str::FromStr;
use core::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UTC instant with one-second resolution, 1970-01-01 to 9999-12-31.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// The instant `secs` seconds after 1970-01-01T00:00:00Z.
    #[must_use]
    pub const fn from_unix(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the epoch.
    #[must_use]
    pub const fn unix(self) -> u64 {
        self.0
    }

    /// From a `der` date-time.
    #[must_use]
    pub fn from_der_datetime(t: der::DateTime) -> Self {
        Self(t.unix_duration().as_secs())
    }

    /// From an X.509 `Time` (UTCTime or GeneralizedTime).
    #[must_use]
    pub fn from_x509(t: &x509_cert::time::Time) -> Self {
        Self(t.to_unix_duration().as_secs())
    }

    /// As a `der` date-time (`None` after 9999).
    #[must_use]
    pub fn to_der_datetime(self) -> Option<der::DateTime> {
        der::DateTime::from_unix_duration(Duration::from_secs(self.0)).ok()
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339 in UTC; a
    /// space may replace the `T`, the `Z` may be absent, `+00:00` is
    /// accepted).
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad = || format!("not a UTC date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ): {s:?}");
        let (date, time) = match s.find(['T', 't', ' ']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let num = |t: &str| -> Result<u16, String> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse::<u16>().map_err(|_| bad())
        };
        let mut d = date.split('-');
        let (Some(y), Some(m), Some(dd), None) = (d.next(), d.next(), d.next(), d.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || dd.len() != 2 {
            return Err(bad());
        }
        let (mut hh, mut mi, mut ss) = (0, 0, 0);
        if let Some(t) = time {
            let t = t
                .strip_suffix(['Z', 'z'])
                .or_else(|| t.strip_suffix("+00:00"))
                .unwrap_or(t);
            let mut p = t.split(':');
            let (Some(a), Some(b), c, None) = (p.next(), p.next(), p.next(), p.next()) else {
                return Err(bad());
            };
            hh = num(a)?;
            mi = num(b)?;
            if let Some(c) = c {
                ss = num(c)?;
            }
        }
        let dt = der::DateTime::new(
            num(y)?,
            num(m)? as u8,
            num(dd)? as u8,
            hh as u8,
            mi as u8,
            ss as u8,
        )
        .map_err(|_| bad())?;
        Ok(Self::from_der_datetime(dt))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_der_datetime() {
            Some(t) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minutes(),
                t.seconds()
            ),
            None => write!(f, "@{}", self.0),
        }
    }
}

impl FromStr for Timestamp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let t = Timestamp::parse("2027-01-01T00:00:00Z").unwrap();
        assert_eq!(t.unix(), 1_798_761_600);
        assert_eq!(t.to_string(), "2027-01-01T00:00:00Z");
        assert_eq!(Timestamp::parse("2027-01-01").unwrap(), t);
        assert_eq!(Timestamp::parse("2027-01-01 00:00").unwrap(), t);
        assert!(Timestamp::parse("2027-13-01").is_err());
        assert!(Timestamp::parse("27-01-01").is_err());
        assert!(Timestamp::parse("2027-01-01T00:00:00+02:00").is_err());
    }
}
