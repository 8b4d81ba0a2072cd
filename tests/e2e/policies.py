"""Watching a browser page for what its Content-Security-Policy or Permissions-Policy
refuses: every e2e page is watched (conftest), so a new page with an inline script or
style fails its own journey."""

from typing import Any

from playwright.sync_api import Page

# Runs before any page script, outside the page's policy: keeps every violation the
# browser reports, whatever the page does afterwards.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def watch_policies(page: Page) -> list[str]:
    """The console messages that speak of a policy, as they come (CSP or Permissions-Policy)."""
    messages: list[str] = []

    def keep(message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            messages.append(f"{page.url}: {text}")

    page.on("console", keep)
    page.add_init_script(LISTEN)
    return messages


def violations(page: Page) -> list[str]:
    """What the current document's policy refused so far."""
    found = page.evaluate("window.__violations || []")
    return [str(item) for item in found]
