//! The mdBook renderer `[output.runbook]`: what `mdbook-runbook build`
//! writes besides the pages, for users of a plain `mdbook build`.
//!
//! mdBook runs `mdbook-runbook render` with its render context on stdin
//! (the book after the preprocessors configured for this renderer) and the
//! renderer's own output directory as destination, next to `[output.html]`'s.
//! [`RunbookRenderer`] runs the [`pipeline`](crate::pipeline) on that book
//! and writes `faq.json` and `checks/` (the scripts, `run-all.sh`,
//! `manifest.json`) there. Findings are the preprocessor's business: the
//! renderer reports none and fails only when it cannot write.

use crate::config::Config;
use crate::{pipeline, site};
use anyhow::{Context, Result};
use mdbook_renderer::{RenderContext, Renderer};

/// The renderer, registered as `[output.runbook]`.
#[derive(Debug, Default, Clone, Copy)]
pub struct RunbookRenderer;

impl RunbookRenderer {
    pub const NAME: &'static str = "runbook";
}

impl Renderer for RunbookRenderer {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn render(&self, ctx: &RenderContext) -> Result<()> {
        let config = Config::from_mdbook(&ctx.config, &ctx.root.join("book.toml"))?;
        let analysed = pipeline::analyse(
            &ctx.root,
            &ctx.config,
            &ctx.book,
            config,
            None,
            pipeline::Products::All,
        )?;
        let destination = &ctx.destination;
        std::fs::create_dir_all(destination)
            .with_context(|| format!("creating {}", destination.display()))?;
        let json = analysed.index.to_json();
        crate::fs::write_atomically(&destination.join("faq.json"), json.as_bytes())?;
        let checks = destination.join("checks");
        if checks.exists() {
            std::fs::remove_dir_all(&checks)
                .with_context(|| format!("removing the old {}", checks.display()))?;
        }
        site::write_scripts(&checks, &analysed.scripts, None)
    }
}
