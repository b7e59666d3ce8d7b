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
//! Latin-1 is read as Windows-1252 with its C1 controls (U+0080 to U+009F)
//! taken back to their bytes. Text garbled twice is repaired pass by pass,
//! passing through the characters the code page itself produces (C1
//! controls, and Mac Roman's U+F8FF for the first byte of every emoji).
//! After the last pass the result is analysed again, and a repair that left
//! mojibake behind is reported as [`Verdict::Incomplete`], never as done.
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
    /// Windows-1252, and ISO-8859-1 (Latin-1) with it: a C1 control
    /// character (U+0080 to U+009F) is read back as the byte of the same
    /// value, as Latin-1 decoded it (and as decoders that pass Windows-1252's
    /// five undefined bytes through do).
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
                // Latin-1 gives every byte its own code point: 0xA0-0xFF
                // as Windows-1252 does, and 0x80-0x9F as C1 controls.
                if (0x80..=0x9F).contains(&code) || (0xA0..=0xFF).contains(&code) {
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

    /// The share of the non-ASCII characters that repairable sequences
    /// explain, whatever their number.
    pub fn explained(&self) -> f64 {
        if self.repairs == 0 {
            return 0.0;
        }
        self.repairs as f64 / (self.repairs + self.untouched) as f64
    }
}

/// The result of [`repair`]: the text, every pass that changed it, and what
/// an analysis of the result still finds.
#[derive(Debug, Clone)]
pub struct Repair<'a> {
    pub text: Cow<'a, str>,
    pub passes: Vec<Analysis>,
    /// The result analysed again: `Some` when repairable sequences remain
    /// (in an unchanged text: suspect ones; after passes: mojibake left
    /// behind).
    pub remaining: Option<Analysis>,
}

/// What [`repair`] concluded about a text.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Nothing to repair.
    Clean,
    /// Left unchanged: repairable sequences, too few to be sure.
    Suspect(Analysis),
    /// Repaired, and the result reads clean.
    Repaired,
    /// Repaired in part: the result still holds mojibake, as analysed here.
    /// Not a success.
    Incomplete(Analysis),
}

impl Repair<'_> {
    pub fn changed(&self) -> bool {
        !self.passes.is_empty()
    }

    pub fn verdict(&self) -> Verdict {
        match (self.changed(), &self.remaining) {
            (false, None) => Verdict::Clean,
            (false, Some(left)) => Verdict::Suspect(left.clone()),
            (true, None) => Verdict::Repaired,
            (true, Some(left)) => Verdict::Incomplete(left.clone()),
        }
    }

    /// The line to tell the user about `file`, if any: what was repaired,
    /// what was left unchanged and why, or that mojibake remains.
    pub fn report(&self, file: &str) -> Option<String> {
        let passes = || {
            let first = &self.passes[0];
            let more = match self.passes.len() {
                1 => String::new(),
                n => format!(", {n} passes"),
            };
            format!(
                "UTF-8 read as {} ({} sequences, confidence {:.2}){more}",
                first.codepage, first.repairs, first.confidence
            )
        };
        match self.verdict() {
            Verdict::Clean => None,
            Verdict::Suspect(left) => Some(format!(
                "{file}: left unchanged: {} suspicious sequence(s), confidence {:.2} is below {:.2}",
                left.repairs, left.confidence, REPAIR_THRESHOLD
            )),
            Verdict::Repaired => Some(format!("{file}: {}", passes())),
            Verdict::Incomplete(left) => Some(format!(
                "{file}: {}, but mojibake remains: {} sequence(s) still read as UTF-8 decoded as {} (confidence {:.2}); repair them by hand",
                passes(),
                left.repairs,
                left.codepage,
                left.confidence
            )),
        }
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
/// mis-decoded more than once is repaired pass by pass: once a pass has
/// found the text garbled, the next one is judged by the share of the
/// non-ASCII characters its sequences explain, without the discount for
/// few sequences (that discount protects a lone, perhaps deliberate, `Ã©`
/// in clean text; a text already repaired once is not clean). The result is
/// analysed again: see [`Repair::verdict`].
pub fn repair(text: &str) -> Repair<'_> {
    let mut passes = Vec::new();
    let mut current: Cow<'_, str> = Cow::Borrowed(text);
    while passes.len() < MAX_PASSES {
        let Some(analysis) = analyze(&current).filter(|a| {
            if passes.is_empty() {
                a.is_mojibake()
            } else {
                a.explained() >= REPAIR_THRESHOLD
            }
        }) else {
            break;
        };
        let mut out = String::with_capacity(current.len());
        scan(&current, analysis.codepage, Some(&mut out));
        current = Cow::Owned(out);
        passes.push(analysis);
    }
    let remaining = analyze(&current);
    Repair {
        text: current,
        passes,
        remaining,
    }
}

/// Walks `text` under `codepage`, counting repairable sequences; when `out`
/// is given, writes the repaired text to it.
fn scan(text: &str, codepage: Codepage, mut out: Option<&mut String>) -> Analysis {
    let mut repairs = 0;
    let mut untouched = 0;
    let mut first_offset = None;
    let mut i = 0;
    while i < text.len() {
        // ASCII runs, most of any text, are passed over whole.
        let ascii = text.as_bytes()[i..]
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(text.len() - i);
        if ascii > 0 {
            if let Some(out) = out.as_deref_mut() {
                out.push_str(&text[i..i + ascii]);
            }
            i += ascii;
            continue;
        }
        // Most non-ASCII characters cannot start a sequence: the byte
        // the code page gives them is no UTF-8 lead byte.
        let ch = text[i..].chars().next().expect("i is inside the text");
        if !codepage
            .byte_for(ch)
            .is_some_and(|lead| (0xC2..=0xF4).contains(&lead))
        {
            untouched += 1;
            if let Some(out) = out.as_deref_mut() {
                out.push(ch);
            }
            i += ch.len_utf8();
            continue;
        }
        // The longest sequence is four characters.
        let mut window = [(0, '\0'); 4];
        let mut filled = 0;
        for (slot, (offset, ch)) in window.iter_mut().zip(text[i..].char_indices()) {
            *slot = (i + offset, ch);
            filled += 1;
        }
        let window = &window[..filled];
        let (offset, ch) = window[0];
        if let Some((decoded, len)) = decode_sequence(window, codepage) {
            repairs += 1;
            first_offset.get_or_insert(offset);
            if let Some(out) = out.as_deref_mut() {
                out.push(decoded);
            }
            let (last, last_char) = window[len - 1];
            i = last + last_char.len_utf8();
        } else {
            untouched += 1;
            if let Some(out) = out.as_deref_mut() {
                out.push(ch);
            }
            i += ch.len_utf8();
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
    plausible(decoded, codepage).then_some((decoded, len))
}

/// Characters a real document would contain: not C0 controls, not private
/// use, not noncharacters. C1 controls and the characters the code page
/// itself produces are allowed, because a doubly mis-decoded text passes
/// through them on its way back: Windows-1252 leaves five bytes undefined,
/// Latin-1 gives C1 controls, and Mac Roman gives U+F8FF (private use, the
/// Apple logo) for 0xF0, the first byte of every emoji.
fn plausible(ch: char, codepage: Codepage) -> bool {
    let code = ch as u32;
    if code >= 0x80 && codepage.byte_for(ch).is_some() {
        return true;
    }
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

    /// The case of the bug report: a heading alone, garbled twice with Mac
    /// Roman. The first pass leaves `√©` and `üîß` (once garbled), too few
    /// to be sure of on their own; but a text already found garbled is
    /// judged by the share its sequences explain.
    #[test]
    fn repairs_a_short_heading_garbled_twice_with_emoji() {
        let heading = "## 🔧 Réseau";
        let twice = garble(&garble(heading, Codepage::MacRoman), Codepage::MacRoman);
        assert_eq!(twice, "## Ô£ø√º√Æ√ü R‚àö¬©seau");
        let repaired = repair(&twice);
        assert_eq!(repaired.text, heading);
        assert_eq!(repaired.passes.len(), 2);
        assert_eq!(repaired.verdict(), Verdict::Repaired);
    }

    #[test]
    fn stops_after_three_passes_and_says_so() {
        let mut text = "Réseau 🔧 : vérifier".to_string();
        for _ in 0..4 {
            text = garble(&text, Codepage::Windows1252);
        }
        let repaired = repair(&text);
        assert_eq!(repaired.passes.len(), MAX_PASSES);
        assert!(matches!(repaired.verdict(), Verdict::Incomplete(_)));
    }

    /// A repair that leaves mojibake behind is not a repair: a paragraph
    /// pasted from an already garbled page into a page garbled once.
    #[test]
    fn never_reports_a_repair_that_left_mojibake_behind() {
        let pasted = garble("Le déploiement a échoué.", Codepage::Windows1252);
        let page = format!("{FRENCH}\n\n{pasted}");
        let garbled = garble(&page, Codepage::MacRoman);
        let repaired = repair(&garbled);
        assert!(repaired.changed());
        assert_eq!(repaired.text, page, "the first layer is repaired");
        match repaired.verdict() {
            Verdict::Incomplete(left) => {
                assert_eq!(left.codepage, Codepage::Windows1252);
                assert_eq!(left.repairs, 3);
            }
            other => panic!("{other:?}"),
        }
        let message = repaired.report("guide.md").unwrap();
        assert!(message.contains("mojibake remains"), "{message}");
    }

    #[test]
    fn verdicts_of_clean_suspect_and_repaired_text() {
        assert_eq!(repair(FRENCH).verdict(), Verdict::Clean);
        assert_eq!(repair(FRENCH).report("a.md"), None);
        let suspect = repair("The manual shows cafÃ© when the encoding is wrong.");
        assert!(matches!(suspect.verdict(), Verdict::Suspect(_)));
        assert!(suspect.report("a.md").unwrap().contains("left unchanged"));
        let garbled = garble(FRENCH, Codepage::MacRoman);
        let repaired = repair(&garbled);
        assert_eq!(repaired.verdict(), Verdict::Repaired);
        assert!(
            repaired
                .report("a.md")
                .unwrap()
                .contains("UTF-8 read as Mac Roman")
        );
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
