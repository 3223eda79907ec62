//! What the Chromium tests of the pages share: whether they can run,
//! signing in, and saving screenshots.

use crate::helpers::TestApp;
use crate::webdriver::Browser;

/// Whether Chromium and chromedriver are installed; without them the test
/// says so and is skipped, except in CI (`HOTLINE_CI`), where it fails.
pub fn chromium_or_skip() -> bool {
    if Browser::available() {
        return true;
    }
    assert!(
        std::env::var_os("HOTLINE_CI").is_none(),
        "HOTLINE_CI is set but chromium/chromedriver are not installed"
    );
    eprintln!("skipped: install Debian's chromium and chromium-driver to run the browser test");
    false
}

/// Signs in on the sign-in page with `token`.
pub async fn sign_in(browser: &Browser, app: &TestApp, token: &str) {
    browser.goto(&format!("{}/login", app.base_url)).await;
    let field = browser.find("#token").await;
    browser.fill(&field, token).await;
    let submit = browser.find("main form button[type=submit]").await;
    browser.click_and_wait(&submit).await;
}

/// Saves the page at `width` x `height` as `name` in `HOTLINE_SCREENSHOTS`,
/// when set, then returns the window to 1280 x 1000.
pub async fn screenshot(browser: &Browser, name: &str, width: u32, height: u32) {
    let Ok(dir) = std::env::var("HOTLINE_SCREENSHOTS") else {
        return;
    };
    browser.resize(width, height).await;
    let png = browser.screenshot().await;
    std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap_or_else(|e| panic!("{e}"));
    browser.resize(1280, 1000).await;
}
