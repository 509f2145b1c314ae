// Package browser holds end-to-end tests of the web UI in headless
// Chromium: each test starts the real server in-process on a fresh SQLite
// database and drives the pages as a person would, through forms, links
// and buttons.
//
// Environment:
//
//	CONFORM_CHROMIUM          the browser to drive (default /usr/bin/chromium)
//	CONFORM_AXE_JS            path of axe-core's axe.min.js, for the accessibility test
//	CONFORM_REQUIRE_BROWSER=1 fail instead of skipping when either is missing (CI)
//	CONFORM_SCREENSHOT_DIR    where failing tests leave a screenshot
//	                          (default $TMPDIR/conform-screenshots)
package browser
