//! Facts in prose: tables that restate AWS numbers are compared with the
//! documented values (`src/aws/data/limits.json`).
//!
//! Today: a table of Fargate cpu/memory combinations (a `CPU` column and a
//! memory column) must list every task size AWS offers, with the right
//! memory values.

use super::Rule;
use crate::aws::limits::Limits;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Span, Table};
use crate::registry::RuleId;

pub struct Facts;

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
        (first <= last).then(|| (first..=last).step_by(step as usize).collect())
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
                for (cpu, cell, values) in &rows {
                    let Some(size) = sizes.sizes.iter().find(|s| s.cpu == *cpu) else {
                        continue;
                    };
                    let expected = size.memories();
                    if values.as_ref() != Some(&expected) {
                        out.push(
                            Diagnostic::new(
                                RuleId::FargateTableOutdated,
                                Severity::Warning,
                                chapter,
                                cell.span,
                                format!(
                                    "for {cpu} CPU units Fargate offers {} MiB",
                                    describe(&expected)
                                ),
                            )
                            .with_help(format!("see {}", sizes.source)),
                        );
                    }
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
}
