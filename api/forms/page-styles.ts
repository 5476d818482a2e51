/**
 * The secure-form pages' only stylesheet, inlined in a <style> element and
 * allowed by its SHA-256 hash in the Content-Security-Policy: no other style,
 * script, image, font or frame can load, and the form can only post back to
 * its own origin. Changing a single character of the CSS changes the hash,
 * which is computed here, so the two never drift apart.
 *
 * Colours (all on white unless said): text #1b1b1b (17:1), secondary text
 * #4a4a4a (8.9:1), primary #1d4ed8 (6.7:1, white on it too), error #b3261e
 * (6.5:1), input borders #4a4a4a (non-text contrast ≥ 3:1).
 */
import { createHash } from 'node:crypto';

export const formPageStyles = `
:root{color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#fff;color:#1b1b1b;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
.brand{margin:0;padding:.75rem 1rem;border-bottom:1px solid #6b6b6b;font-weight:700}
main{display:block;max-width:36rem;margin:0 auto;padding:1rem 1rem 2rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:0 0 .5rem}
p{margin:0 0 1rem}
a{color:#1d4ed8;text-decoration:underline;text-underline-offset:.15em}
a:hover{text-decoration-thickness:.15em}
.field{margin:0 0 1.5rem}
.field-error{border-left:4px solid #b3261e;padding-left:.75rem}
label{display:block;font-weight:700;margin:0 0 .25rem}
.req{font-weight:400}
.help,.note{color:#4a4a4a;margin:0 0 .5rem}
.note{font-style:italic}
.error{color:#b3261e;font-weight:700;margin:0 0 .5rem}
input{display:block;width:100%;max-width:100%;min-height:2.75rem;margin:0;padding:.5rem;border:2px solid #4a4a4a;border-radius:0;background:#fff;color:#1b1b1b;font:inherit}
input[aria-invalid="true"]{border-color:#b3261e}
.short{max-width:10rem}
button{display:inline-block;min-height:2.75rem;padding:.5rem 1.25rem;border:2px solid #1d4ed8;border-radius:.25rem;background:#1d4ed8;color:#fff;font:inherit;font-weight:700;cursor:pointer}
button:hover{background:#1e3a8a;border-color:#1e3a8a}
a:focus-visible,input:focus-visible,button:focus-visible,.error-summary:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px;box-shadow:0 0 0 6px #fff}
input:focus-visible{border-color:#1b1b1b}
.error-summary{border:4px solid #b3261e;padding:1rem;margin:0 0 1.5rem}
.error-summary ul{margin:0;padding-left:1.25rem}
.error-summary a{color:#b3261e;font-weight:700}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.footnote{color:#4a4a4a;font-size:.9375rem;margin-top:2rem}
`;

export const formPageStylesHash = `sha256-${createHash('sha256').update(formPageStyles, 'utf8').digest('base64')}`;

/**
 * The CSP every secure-form page (form and message pages) is sent with. The
 * only thing it allows is the inline stylesheet above (by hash) and posting
 * the form to the page's own origin.
 */
export const formPageCsp = [
  "default-src 'none'",
  `style-src '${formPageStylesHash}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Every header a secure-form page is served with (the route sets these, replacing helmet's CSP). */
export const formPageHeaders: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': formPageCsp,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // One-time links and the pages behind them never belong in a search index or a preview card.
  'X-Robots-Tag': 'noindex, nofollow',
};
