//! The owner dashboard's static files (`dashboard/dist`, built by Vite): built with npm
//! when missing or older than their sources, and served at `/` beside the API, as S3 and
//! CloudFront serve them in AWS.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The dashboard's source folder (`dashboard/` at the workspace root).
pub fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboard")
}

/// The built site that `local` serves (`FRONTLINE_DASHBOARD_DIR` overrides it).
pub fn dist_dir() -> PathBuf {
    std::env::var("FRONTLINE_DASHBOARD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| source_dir().join("dist"))
}

fn newest(path: &Path) -> SystemTime {
    let mut t = SystemTime::UNIX_EPOCH;
    let Ok(meta) = std::fs::metadata(path) else {
        return t;
    };
    if meta.is_file() {
        return meta.modified().unwrap_or(t);
    }
    for e in std::fs::read_dir(path).into_iter().flatten().flatten() {
        t = t.max(newest(&e.path()));
    }
    t
}

/// Whether `dist/` is missing or older than `src/`, the chat widget's `widget/`, `index.html`,
/// the package files, the Vite configs, the OpenAPI snapshot or the build scripts.
pub fn stale() -> bool {
    let src = source_dir();
    let built = newest(&dist_dir().join("index.html"));
    if built == SystemTime::UNIX_EPOCH {
        return true;
    }
    [
        "src",
        "public",
        "index.html",
        "package-lock.json",
        "vite.config.ts",
        "widget",
        "vite.widget.config.ts",
        "openapi.json",
        "scripts",
    ]
    .iter()
    .any(|p| newest(&src.join(p)) > built)
}

/// Installs the npm packages (`npm ci`, first run only) and builds the dashboard when it
/// is stale. Errors when npm is missing or the build fails.
pub fn ensure_built(say: impl Fn(&str)) -> Result<()> {
    if std::env::var_os("FRONTLINE_DASHBOARD_DIR").is_some() || !stale() {
        return Ok(());
    }
    let dir = source_dir();
    let npm = |args: &[&str]| -> Result<()> {
        let st = Command::new("npm")
            .args(args)
            .current_dir(&dir)
            .status()
            .with_context(|| format!("npm {} (is Node.js with npm installed?)", args.join(" ")))?;
        if !st.success() {
            bail!("npm {} failed in {}", args.join(" "), dir.display());
        }
        Ok(())
    };
    // First run, or packages added since the last install.
    let installed = newest(&dir.join("node_modules/.package-lock.json"));
    if installed == SystemTime::UNIX_EPOCH || newest(&dir.join("package-lock.json")) > installed {
        say("installing the dashboard's npm packages (npm ci)");
        npm(&["ci", "--no-audit", "--no-fund", "--loglevel=error"])?;
    }
    say("building the owner dashboard (npm run build: API types are the document's, TypeScript check, Vite, the API reference at /api/)");
    npm(&["run", "--silent", "build"])
}
