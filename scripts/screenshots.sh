#!/usr/bin/env bash
# Rewrites docs/screenshots/<page type>-<375|1280>.png from the real portal in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --test it theme::screenshots -- --ignored --exact
cargo test --test it cms::cms_login_screenshot -- --ignored --exact
