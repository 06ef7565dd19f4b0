"""MkDocs hooks (``hooks:`` in mkdocs.yml): a Content-Security-Policy on every page.

Static hosting such as GitHub Pages sets no headers, so the policy is a ``<meta http-equiv>``
tag, the first element of the head (a policy covers only what comes after it). It lets the page
load scripts, styles, images, fonts and data from the site itself only, run the theme's own
inline scripts by the hash of their text (they differ from page to page, by the page's depth)
and Pagefind's WebAssembly. Anything else, such as a script smuggled into a page past the
escaping, is blocked by the browser. This is defence in depth: the escaping of text from data
is the first guard.

The same hooks make the two toggles of the theme's page frame valid HTML (see ``toggles``):
they are written by the theme's base.html outside any block a template can override.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Inline scripts that run: no src, and no type or a JavaScript type (JSON data blocks, such as
# the theme's configuration and the download page's JSON-LD, are never run).
_INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"(?!text/javascript|module)[^\"]*\")[^>]*>(.*?)</script>",
    re.DOTALL,
)
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-src 'none'"
)


# The theme's checkboxes that open the menu drawer and its search carry autocomplete="off", so
# that a browser does not restore them on reload or going back (Firefox would reopen the menu).
# HTML allows that attribute on a form but not on a checkbox. A control without it follows its
# form's, so the checkboxes join an empty form that says the same; the form comes first, since
# a browser looks at a control's form as it parses the control.
_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off">')
_FORM = '<form id="portal-toggles" autocomplete="off" hidden></form>\n    '


def toggles(html: str) -> str:
    """The page with the theme's toggle checkboxes in a form with autocomplete="off"."""
    forms = [_FORM]  # written once, before the first checkbox

    def owned(match: re.Match[str]) -> str:
        form = forms.pop() if forms else ""
        return f'{form}{match.group(1)} form="portal-toggles">'

    return _TOGGLE.sub(owned, html)


def policy(html: str) -> str:
    """The policy for a page: its own inline scripts allowed by hash, and nothing else."""
    digests = sorted({_sha256(script) for script in _INLINE.findall(html)})
    return POLICY.format(hashes="".join(f" '{d}'" for d in digests))


def with_policy(html: str) -> str:
    """The page with its policy as the first element of its head."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return re.sub(r"<head>", f"<head>\n    {meta}", html, count=1)


def _sha256(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def on_post_page(output: str, page, **_) -> str:
    return with_policy(toggles(output))


def on_post_template(output_content: str, template_name: str, **_) -> str:
    """The theme's own pages, such as 404.html."""
    if not template_name.endswith(".html"):
        return output_content
    return with_policy(toggles(output_content))
