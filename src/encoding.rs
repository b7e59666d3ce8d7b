//! Mojibake detection and repair.
//!
//! Runbooks get pasted through editors, wikis and mail clients, and a common
//! accident is UTF-8 text decoded with a legacy single-byte code page and then
//! saved again as UTF-8: `é` becomes `√©` (Mac Roman) or `Ã©` (Windows-1252),
//! and `🔧` becomes `üîß`. This module finds such sequences and undoes them.
//!
//! The method: map every non-ASCII character back to the byte the code page
//! would have produced, and look for byte runs that form a valid multi-byte
//! UTF-8 sequence. Correct text almost never does: a French `é` alone is a
//! continuation byte in both code pages, and `«` followed by a space is not a
//! sequence. Each candidate code page gets a confidence score that weighs the
//! repairable sequences against the non-ASCII characters that are not part of
//! one, so text that is merely unusual is reported as suspect, never rewritten.
//!
//! This module owns the code page tables and the scoring. It does no I/O.

use std::borrow::Cow;
use std::fmt;

/// The confidence at or above which a text is considered mojibake and repaired.
pub const REPAIR_THRESHOLD: f64 = 0.85;

/// How many times a doubly (or triply) mis-decoded text is repaired at most.
const MAX_PASSES: usize = 3;

/// A legacy code page that UTF-8 bytes may have been decoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codepage {
    /// Classic Mac OS Roman, as in Python's `mac_roman` codec.
    MacRoman,
    /// Windows-1252, with its five undefined bytes and the C1 controls of
    /// ISO-8859-1 mapped to themselves, so Latin-1 mojibake is covered too.
    Windows1252,
}

impl Codepage {
    const ALL: [Codepage; 2] = [Codepage::MacRoman, Codepage::Windows1252];

    /// The byte this code page decodes to `ch`, if any.
    fn byte_for(self, ch: char) -> Option<u8> {
        let code = ch as u32;
        if code < 0x80 {
            return Some(code as u8);
        }
        match self {
            Codepage::MacRoman => MAC_ROMAN_HIGH
                .iter()
                .position(|&c| c == ch)
                .map(|i| 0x80 + i as u8),
            Codepage::Windows1252 => {
                if (0xA0..=0xFF).contains(&code) {
                    return Some(code as u8);
                }
                WINDOWS_1252_C1
                    .iter()
                    .position(|&c| c == ch)
                    .map(|i| 0x80 + i as u8)
            }
        }
    }
}

impl fmt::Display for Codepage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Codepage::MacRoman => "Mac Roman",
            Codepage::Windows1252 => "Windows-1252/Latin-1",
        })
    }
}

/// Bytes 0x80..=0xFF of Mac OS Roman.
const MAC_ROMAN_HIGH: [char; 128] = [
    'Ä', 'Å', 'Ç', 'É', 'Ñ', 'Ö', 'Ü', 'á', 'à', 'â', 'ä', 'ã', 'å', 'ç', 'é', 'è', //
    'ê', 'ë', 'í', 'ì', 'î', 'ï', 'ñ', 'ó', 'ò', 'ô', 'ö', 'õ', 'ú', 'ù', 'û', 'ü', //
    '†', '°', '¢', '£', '§', '•', '¶', 'ß', '®', '©', '™', '´', '¨', '≠', 'Æ', 'Ø', //
    '∞', '±', '≤', '≥', '¥', 'µ', '∂', '∑', '∏', 'π', '∫', 'ª', 'º', 'Ω', 'æ', 'ø', //
    '¿', '¡', '¬', '√', 'ƒ', '≈', '∆', '«', '»', '…', '\u{A0}', 'À', 'Ã', 'Õ', 'Œ', 'œ', //
    '–', '—', '“', '”', '‘', '’', '÷', '◊', 'ÿ', 'Ÿ', '⁄', '€', '‹', '›', 'ﬁ', 'ﬂ', //
    '‡', '·', '‚', '„', '‰', 'Â', 'Ê', 'Á', 'Ë', 'È', 'Í', 'Î', 'Ï', 'Ì', 'Ó', 'Ô', //
    '\u{F8FF}', 'Ò', 'Ú', 'Û', 'Ù', 'ı', 'ˆ', '˜', '¯', '˘', '˙', '˚', '¸', '˝', '˛', 'ˇ', //
];

/// Bytes 0x80..=0x9F of Windows-1252; undefined bytes map to the C1 control
/// with the same value, as decoders that "pass through" do.
const WINDOWS_1252_C1: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
    '\u{8F}', //
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž',
    'Ÿ', //
];

/// What the analysis of a text under one code page found.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The code page the text appears to have been decoded with.
    pub codepage: Codepage,
    /// Sequences that decode to a plausible character.
    pub repairs: usize,
    /// Non-ASCII characters that are not part of any such sequence.
    pub untouched: usize,
    /// 0.0 (clean) to 1.0 (certainly mojibake).
    pub confidence: f64,
    /// Byte offset of the first repairable sequence.
    pub first_offset: Option<usize>,
}

impl Analysis {
    /// Whether the text should be repaired.
    pub fn is_mojibake(&self) -> bool {
        self.confidence >= REPAIR_THRESHOLD
    }

    /// Whether the text has repairable sequences but too few to be sure.
    pub fn is_suspect(&self) -> bool {
        self.repairs > 0 && !self.is_mojibake()
    }
}

/// The result of [`repair`]: the text and every pass that changed it.
#[derive(Debug, Clone)]
pub struct Repair<'a> {
    pub text: Cow<'a, str>,
    pub passes: Vec<Analysis>,
}

impl Repair<'_> {
    pub fn changed(&self) -> bool {
        !self.passes.is_empty()
    }
}

/// Scores `text` under every known code page and returns the most likely one,
/// or `None` when no code page finds a single repairable sequence.
pub fn analyze(text: &str) -> Option<Analysis> {
    Codepage::ALL
        .iter()
        .map(|&cp| scan(text, cp, None))
        .filter(|a| a.repairs > 0)
        .max_by(|a, b| {
            a.confidence
                .total_cmp(&b.confidence)
                .then(a.repairs.cmp(&b.repairs))
        })
}

/// Repairs `text` if, and only if, it is confidently mojibake. Text that was
/// mis-decoded more than once is repaired pass by pass.
pub fn repair(text: &str) -> Repair<'_> {
    let mut passes = Vec::new();
    let mut current: Cow<'_, str> = Cow::Borrowed(text);
    while passes.len() < MAX_PASSES {
        let Some(analysis) = analyze(&current).filter(Analysis::is_mojibake) else {
            break;
        };
        let mut out = String::with_capacity(current.len());
        scan(&current, analysis.codepage, Some(&mut out));
        current = Cow::Owned(out);
        passes.push(analysis);
    }
    Repair {
        text: current,
        passes,
    }
}

/// Walks `text` under `codepage`, counting repairable sequences; when `out`
/// is given, writes the repaired text to it.
fn scan(text: &str, codepage: Codepage, mut out: Option<&mut String>) -> Analysis {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut repairs = 0;
    let mut untouched = 0;
    let mut first_offset = None;
    let mut i = 0;
    while i < chars.len() {
        let (offset, ch) = chars[i];
        if ch.is_ascii() {
            if let Some(out) = out.as_deref_mut() {
                out.push(ch);
            }
            i += 1;
            continue;
        }
        if let Some((decoded, len)) = decode_sequence(&chars[i..], codepage) {
            repairs += 1;
            first_offset.get_or_insert(offset);
            if let Some(out) = out.as_deref_mut() {
                out.push(decoded);
            }
            i += len;
        } else {
            untouched += 1;
            if let Some(out) = out.as_deref_mut() {
                out.push(ch);
            }
            i += 1;
        }
    }
    Analysis {
        codepage,
        repairs,
        untouched,
        confidence: confidence(repairs, untouched),
        first_offset,
    }
}

/// Tries to read one mis-decoded UTF-8 sequence at the start of `chars`.
fn decode_sequence(chars: &[(usize, char)], codepage: Codepage) -> Option<(char, usize)> {
    let lead = codepage.byte_for(chars[0].1)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    if chars.len() < len {
        return None;
    }
    let mut bytes = [lead, 0, 0, 0];
    for (slot, &(_, ch)) in bytes[1..len].iter_mut().zip(&chars[1..len]) {
        let byte = codepage.byte_for(ch)?;
        if !(0x80..=0xBF).contains(&byte) {
            return None;
        }
        *slot = byte;
    }
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    plausible(decoded).then_some((decoded, len))
}

/// Characters a real document would contain: not C0 controls, not private
/// use, not noncharacters. C1 controls are allowed: a doubly mis-decoded text
/// passes through them on its way back (Windows-1252 leaves five bytes
/// undefined).
fn plausible(ch: char) -> bool {
    let code = ch as u32;
    !((code < 0x20 && !matches!(ch, '\t' | '\n' | '\r'))
        || code == 0x7F
        || (0xE000..=0xF8FF).contains(&code)
        || (0xFDD0..=0xFDEF).contains(&code)
        || code & 0xFFFE == 0xFFFE)
}

/// The share of non-ASCII material that repairs explain, discounted when there
/// are only one or two sequences (a lone `Ã©` may be deliberate).
fn confidence(repairs: usize, untouched: usize) -> f64 {
    if repairs == 0 {
        return 0.0;
    }
    let explained = repairs as f64 / (repairs + untouched) as f64;
    let evidence = 1.0 - 0.5f64.powi(repairs.min(64) as i32);
    explained * evidence
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Simulates the accident: UTF-8 bytes decoded with `codepage`.
    fn garble(text: &str, codepage: Codepage) -> String {
        text.bytes()
            .map(|b| {
                if b < 0x80 {
                    b as char
                } else {
                    match codepage {
                        Codepage::MacRoman => MAC_ROMAN_HIGH[(b - 0x80) as usize],
                        Codepage::Windows1252 if b < 0xA0 => WINDOWS_1252_C1[(b - 0x80) as usize],
                        Codepage::Windows1252 => b as char,
                    }
                }
            })
            .collect()
    }

    const FRENCH: &str = "## 🔧 Dépannage\n\n**Vérifications :** la tâche a crashé → voir les journaux ⚖️ « été », coûts";

    #[test]
    fn tables_round_trip() {
        for (i, &ch) in MAC_ROMAN_HIGH.iter().enumerate() {
            assert_eq!(Codepage::MacRoman.byte_for(ch), Some(0x80 + i as u8));
        }
        for (i, &ch) in WINDOWS_1252_C1.iter().enumerate() {
            assert_eq!(Codepage::Windows1252.byte_for(ch), Some(0x80 + i as u8));
        }
        for b in 0xA0u8..=0xFF {
            assert_eq!(Codepage::Windows1252.byte_for(char::from(b)), Some(b));
        }
    }

    #[test]
    fn repairs_each_codepage() {
        for cp in Codepage::ALL {
            let garbled = garble(FRENCH, cp);
            assert_ne!(garbled, FRENCH);
            let repaired = repair(&garbled);
            assert_eq!(repaired.text, FRENCH, "{cp}");
            assert_eq!(repaired.passes[0].codepage, cp);
            assert!(repaired.passes[0].confidence > 0.99);
        }
    }

    #[test]
    fn repairs_double_encoding() {
        let twice = garble(
            &garble(FRENCH, Codepage::Windows1252),
            Codepage::Windows1252,
        );
        let repaired = repair(&twice);
        assert_eq!(repaired.text, FRENCH);
        assert_eq!(repaired.passes.len(), 2);
    }

    #[test]
    fn correct_text_is_never_touched() {
        let samples = [
            FRENCH,
            "Élève, où êtes-vous ? À bientôt. Ça coûte 5 €.",
            "« Bonjour » — dit-il… Œuvre, cœur, naïf, Noël",
            "Mathématiques : √2 ≈ 1,414 ; π ≠ 3 ; ∞",
            "日本語のテキスト、中文、한국어 and emoji 🚀🔥",
            "plain ascii",
        ];
        for text in samples {
            let repaired = repair(text);
            assert!(
                !repaired.changed(),
                "{text:?} was changed to {:?}",
                repaired.text
            );
            assert!(matches!(repaired.text, Cow::Borrowed(_)));
        }
    }

    #[test]
    fn unusual_text_is_suspect_not_repaired() {
        // One lone sequence: could be a quotation of mojibake.
        let text = "The manual shows cafÃ© when the encoding is wrong.";
        let analysis = analyze(text).unwrap();
        assert!(analysis.is_suspect());
        assert!(!repair(text).changed());
        // Genuine accents around a single sequence lower the confidence.
        let mixed = "Élève à l'école: Ã© puis é, è, ê, à, ù, ç, ô";
        assert!(!analyze(mixed).unwrap().is_mojibake());
    }

    #[test]
    fn reports_first_offset() {
        let garbled = garble("abc é é é", Codepage::MacRoman);
        let analysis = analyze(&garbled).unwrap();
        assert_eq!(analysis.first_offset, Some(4));
        assert_eq!(analysis.repairs, 3);
        assert_eq!(analysis.untouched, 0);
    }
}
