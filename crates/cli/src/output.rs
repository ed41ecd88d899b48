//! How results are printed: tables for people, JSON lines for scripts,
//! personal data masked unless asked otherwise.

use std::io::{self, Write};

use frontegg_identity_ureq::{mask_email, mask_phone};
use serde_json::Value;

/// The output settings of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    /// JSON lines instead of tables.
    pub(crate) json: bool,
    /// Phone numbers and e-mail addresses in full.
    pub(crate) show_numbers: bool,
}

impl Output {
    /// A phone number as it may be printed.
    pub(crate) fn phone(self, number: &str) -> String {
        if self.show_numbers {
            number.to_owned()
        } else {
            mask_phone(number)
        }
    }

    /// An e-mail address as it may be printed.
    pub(crate) fn email(self, email: &str) -> String {
        if self.show_numbers {
            email.to_owned()
        } else {
            mask_email(email)
        }
    }
}

/// Writes `value` as one JSON line.
pub(crate) fn json_line(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    writeln!(out, "{value}")
}

/// An optional string as JSON (`null` when absent).
pub(crate) fn opt(value: Option<&str>) -> Value {
    value.map_or(Value::Null, |v| Value::String(v.to_owned()))
}

/// A table written a batch of rows at a time: the column widths are fixed
/// by the header and the first batch, later rows may overflow them.
pub(crate) struct Table {
    headers: &'static [&'static str],
    widths: Option<Vec<usize>>,
}

impl Table {
    pub(crate) fn new(headers: &'static [&'static str]) -> Self {
        Self {
            headers,
            widths: None,
        }
    }

    /// Writes `rows` (the header first, with the first non-empty batch).
    pub(crate) fn write(&mut self, out: &mut dyn Write, rows: &[Vec<String>]) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let widths = match &self.widths {
            Some(widths) => widths.clone(),
            None => {
                let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
                for row in rows {
                    for (width, cell) in widths.iter_mut().zip(row) {
                        *width = (*width).max(cell.chars().count());
                    }
                }
                let header: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
                write_row(out, &widths, &header)?;
                self.widths = Some(widths.clone());
                widths
            }
        };
        for row in rows {
            write_row(out, &widths, row)?;
        }
        out.flush()
    }
}

fn write_row(out: &mut dyn Write, widths: &[usize], row: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        line.push_str(cell);
        let pad = widths
            .get(i)
            .copied()
            .unwrap_or(0)
            .saturating_sub(cell.chars().count());
        line.extend(std::iter::repeat_n(' ', pad));
    }
    writeln!(out, "{}", line.trim_end())
}

/// A count on standard error while a long listing arrives, drawn only on a
/// terminal and erased before the listing's own lines are written.
pub(crate) struct Progress {
    enabled: bool,
    drawn: bool,
}

impl Progress {
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            drawn: false,
        }
    }

    /// Shows `text` in place of the previous progress line.
    pub(crate) fn show(&mut self, stderr: &mut dyn Write, text: &str) -> io::Result<()> {
        if self.enabled {
            write!(stderr, "\r\x1b[2K{text}")?;
            stderr.flush()?;
            self.drawn = true;
        }
        Ok(())
    }

    /// Erases the progress line, if one is drawn.
    pub(crate) fn clear(&mut self, stderr: &mut dyn Write) -> io::Result<()> {
        if self.drawn {
            write!(stderr, "\r\x1b[2K")?;
            stderr.flush()?;
            self.drawn = false;
        }
        Ok(())
    }
}

/// `n thing` or `n things`.
pub(crate) fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// `value`, or `-` when absent.
pub(crate) fn or_dash(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_keeps_the_first_batch_widths() {
        let mut out = Vec::new();
        let mut table = Table::new(&["A", "LONG HEADER"]);
        table.write(&mut out, &[]).unwrap();
        table.write(&mut out, &[vec!["abc".into(), "x".into()]]).unwrap();
        table
            .write(&mut out, &[vec!["abcdef".into(), "y".into()]])
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "A    LONG HEADER\nabc  x\nabcdef  y\n"
        );
    }

    #[test]
    fn masking() {
        let masked = Output {
            json: false,
            show_numbers: false,
        };
        assert_eq!(masked.phone("+14155550100"), "+*********00");
        assert_eq!(masked.email("jane@example.com"), "j***@example.com");
        let shown = Output {
            show_numbers: true,
            ..masked
        };
        assert_eq!(shown.phone("+14155550100"), "+14155550100");
        assert_eq!(count(1, "record"), "1 record");
        assert_eq!(count(2, "record"), "2 records");
    }

    #[test]
    fn progress_only_on_a_terminal() {
        let mut err = Vec::new();
        let mut off = Progress::new(false);
        off.show(&mut err, "x").unwrap();
        off.clear(&mut err).unwrap();
        assert!(err.is_empty());
        let mut on = Progress::new(true);
        on.show(&mut err, "x").unwrap();
        on.clear(&mut err).unwrap();
        on.clear(&mut err).unwrap();
        assert_eq!(err, b"\r\x1b[2Kx\r\x1b[2K");
    }
}
