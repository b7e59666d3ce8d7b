//! Facts in prose: tables that restate AWS numbers are compared with the
//! documented values (`src/aws/data/limits.json`).
//!
//! Today: a table of Fargate cpu/memory combinations (a `CPU` column and a
//! memory column) must list every task size AWS offers, with the right
//! memory values. Each CPU size is reported once per table, at its first
//! wrong row, so the findings stay few however long the table is.

use super::Rule;
use crate::aws::limits::Limits;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Span, Table};
use crate::registry::RuleId;

pub struct Facts;

/// The most values a range cell (`2048-8192 (par 1024)`) is expanded to;
/// a longer range is not a list of task sizes, and is read as unreadable.
const MAX_RANGE_VALUES: usize = 1024;

/// The numbers of a cell: `512, 1024, 2048`, or a range written
/// `2048-8192 (par 1024)`, `de 2048 à 8192, par pas de 1024` or
/// `2048 to 8192 in 1024 steps`.
pub fn memory_values(cell: &str) -> Option<Vec<u64>> {
    let numbers: Vec<(usize, usize, u64)> = cell
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .fold(Vec::<(usize, usize)>::new(), |mut runs, (i, _)| {
            match runs.last_mut() {
                Some(run) if run.1 == i => run.1 = i + 1,
                _ => runs.push((i, i + 1)),
            }
            runs
        })
        .into_iter()
        .filter_map(|(start, end)| Some((start, end, cell[start..end].parse().ok()?)))
        .collect();
    let between = match numbers.as_slice() {
        [(_, first_end, _), (second_start, ..), ..] => {
            cell[*first_end..*second_start].to_lowercase()
        }
        _ => String::new(),
    };
    let ranged = ["-", "–", "—", " à ", " a ", " to ", " through ", ".."]
        .iter()
        .any(|w| between.contains(w));
    let numbers: Vec<u64> = numbers.into_iter().map(|(_, _, n)| n).collect();
    if ranged {
        let (first, last) = (numbers[0], numbers[1]);
        let step = numbers.get(2).copied().unwrap_or(1024).max(1);
        let count = (last.checked_sub(first)? / step).saturating_add(1);
        (count <= MAX_RANGE_VALUES as u64).then(|| (first..=last).step_by(step as usize).collect())
    } else {
        (!numbers.is_empty()).then_some(numbers)
    }
}

fn is_fargate_table(table: &Table) -> Option<(usize, usize)> {
    let cpu = table
        .header
        .iter()
        .position(|c| c.text.to_ascii_lowercase().contains("cpu"))?;
    let memory = table.header.iter().position(|c| {
        let t = c.text.to_lowercase();
        t.contains("memory") || t.contains("mémoire") || t.contains("memoire")
    })?;
    (cpu != memory).then_some((cpu, memory))
}

impl Rule for Facts {
    fn check(&self, cx: &super::Context<'_>, out: &mut Vec<Diagnostic>) {
        let guide = cx.guide;
        let limits = Limits::get();
        let sizes = &limits.fargate_task_sizes;
        for chapter in &guide.chapters {
            for table in &chapter.tables {
                let Some((cpu_column, memory_column)) = is_fargate_table(table) else {
                    continue;
                };
                let rows: Vec<(u64, &crate::model::Cell, Option<Vec<u64>>)> = table
                    .rows
                    .iter()
                    .filter_map(|row| {
                        let cpu = row.get(cpu_column)?.text.trim().parse::<u64>().ok()?;
                        let memory = row.get(memory_column)?;
                        Some((cpu, memory, memory_values(&memory.text)))
                    })
                    .collect();
                // Only a table that is about Fargate task sizes.
                let known = rows
                    .iter()
                    .filter(|(cpu, ..)| sizes.sizes.iter().any(|s| s.cpu == *cpu))
                    .count();
                if known < 2 {
                    continue;
                }
                // Each size once, at its first wrong row; later wrong rows
                // of the same size are counted.
                let mut wrong: Vec<(u64, &crate::model::Cell, usize)> = Vec::new();
                for (cpu, cell, values) in &rows {
                    let Some(size) = sizes.sizes.iter().find(|s| s.cpu == *cpu) else {
                        continue;
                    };
                    if values.as_ref() == Some(&size.memories()) {
                        continue;
                    }
                    match wrong.iter_mut().find(|(c, ..)| c == cpu) {
                        Some((.., others)) => *others += 1,
                        None => wrong.push((*cpu, cell, 0)),
                    }
                }
                for (cpu, cell, others) in wrong {
                    let Some(size) = sizes.sizes.iter().find(|s| s.cpu == cpu) else {
                        continue;
                    };
                    let also = if others > 0 {
                        format!(" ({others} other rows for {cpu} CPU units are wrong too)")
                    } else {
                        String::new()
                    };
                    out.push(
                        Diagnostic::new(
                            RuleId::FargateTableOutdated,
                            Severity::Warning,
                            chapter,
                            cell.span,
                            format!(
                                "for {cpu} CPU units Fargate offers {} MiB{also}",
                                describe(&size.memories())
                            ),
                        )
                        .with_help(format!("see {}", sizes.source)),
                    );
                }
                let missing: Vec<String> = sizes
                    .sizes
                    .iter()
                    .filter(|s| !rows.iter().any(|(cpu, ..)| *cpu == s.cpu))
                    .map(|s| s.cpu.to_string())
                    .collect();
                if !missing.is_empty() {
                    let end = table
                        .header
                        .last()
                        .map_or(table.span.start + 1, |c| c.span.end);
                    out.push(
                        Diagnostic::new(
                            RuleId::FargateTableOutdated,
                            Severity::Warning,
                            chapter,
                            Span::new(table.span.start, end),
                            format!(
                                "this Fargate table lacks the {} CPU rows",
                                missing.join(" and ")
                            ),
                        )
                        .with_help(format!(
                            "add {} (see {})",
                            sizes
                                .sizes
                                .iter()
                                .filter(|s| missing.contains(&s.cpu.to_string()))
                                .map(|s| format!("{}: {}", s.cpu, describe(&s.memories())))
                                .collect::<Vec<_>>()
                                .join("; "),
                            sizes.source
                        )),
                    );
                }
            }
        }
    }
}

/// `512, 1024, 2048` or `2048–8192 in steps of 1024`.
fn describe(values: &[u64]) -> String {
    let step = values.windows(2).map(|w| w[1] - w[0]).collect::<Vec<_>>();
    match (values.first(), values.last()) {
        (Some(first), Some(last)) if values.len() > 3 && step.iter().all(|s| *s == step[0]) => {
            format!("{first}–{last} in steps of {}", step[0])
        }
        _ => values
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_memory_cells() {
        let cases: [(&str, Option<Vec<u64>>); 7] = [
            ("512, 1024, 2048", Some(vec![512, 1024, 2048])),
            (
                "2048-8192 (par 1024)",
                Some((2048..=8192).step_by(1024).collect()),
            ),
            (
                "16384–61440 (in 4096 increments)",
                Some((16384..=61440).step_by(4096).collect()),
            ),
            ("4096", Some(vec![4096])),
            (
                "de 1024 à 4096, par pas de 1024",
                Some(vec![1024, 2048, 3072, 4096]),
            ),
            (
                "2048 to 8192 in 1024 steps",
                Some((2048..=8192).step_by(1024).collect()),
            ),
            ("n/a", None),
        ];
        for (cell, expected) in cases {
            assert_eq!(memory_values(cell), expected, "{cell}");
        }
    }

    /// `1-20000000 (par 1)` expanded to twenty million numbers (a range to
    /// 10^10 exhausts memory). A range is read only if it is short.
    #[test]
    fn regression_huge_memory_range_is_not_expanded() {
        assert_eq!(memory_values("1-20000000 (par 1)"), None);
        assert_eq!(memory_values("1-18446744073709551615"), None);
        let longest = MAX_RANGE_VALUES as u64;
        assert_eq!(
            memory_values(&format!("1-{longest} (by 1)")).map(|v| v.len()),
            Some(MAX_RANGE_VALUES)
        );
    }

    /// A 100,000-row table of wrong rows gave 100,000 findings (65 s to
    /// print). Each CPU size is reported once, whatever the table's length.
    #[test]
    fn regression_long_table_reports_each_size_once() {
        let rows: String = (0..100_000)
            .map(|i| format!("| {} | {i} |\n", [256, 512, 1024][i % 3]))
            .collect();
        let text = format!("# A\n\n| CPU | Memory |\n|---|---|\n{rows}");
        let guide = crate::model::Guide {
            chapters: vec![crate::parse_chapter("c.md", text)],
        };
        let analysis = crate::analysis::Analysis::of(&guide, Default::default());
        let cx = super::super::Context::new(&guide, &analysis);
        let mut out = Vec::new();
        Facts.check(&cx, &mut out);
        let sizes = Limits::get().fargate_task_sizes.sizes.len();
        assert!(out.len() <= sizes + 1, "{} findings", out.len());
        assert_eq!(out.len(), 4, "{out:#?}");
        assert!(
            out[0].message.contains("33333 other rows"),
            "{}",
            out[0].message
        );
    }
}
