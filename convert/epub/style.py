"""The book's stylesheet: quiet typography that reads well in Latin and CJK text.

Line height is a little taller for CJK (whose glyphs fill the em box), CJK text is justified and
never set in a fake italic, images and tables never overflow the page (tables scroll), and code
wraps instead of running off the screen.
"""

STYLESHEET = """@namespace epub "http://www.idpf.org/2007/ops";
body { font-family: serif; line-height: 1.6; margin: 0 5%; overflow-wrap: break-word; }
:lang(zh), :lang(ja), :lang(ko) { line-height: 1.8; }
:lang(zh) p, :lang(ja) p { text-align: justify; line-break: strict; }
:lang(zh) em, :lang(ja) em, :lang(ko) em, :lang(zh) i, :lang(ja) i { font-style: normal; font-weight: bold; }
h1, h2, h3, h4, h5, h6 { line-height: 1.3; page-break-after: avoid; break-after: avoid; }
p { margin: 0.6em 0; }
img, svg, video { max-width: 100%; height: auto; }
figure { margin: 1em 0; text-align: center; }
figcaption { font-size: 0.85em; color: #555; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85em; line-height: 1.4; background: #f6f6f6; padding: 0.5em; }
code { font-family: monospace; overflow-wrap: anywhere; }
blockquote { margin: 1em 0 1em 1em; padding-left: 1em; border-left: 3px solid #ccc; color: #444; }
table { border-collapse: collapse; display: block; max-width: 100%; overflow-x: auto; }
td, th { border: 1px solid #bbb; padding: 0.2em 0.5em; vertical-align: top; }
ruby rt { font-size: 0.5em; }
header.fmc-chapter { margin-bottom: 1.5em; }
header.fmc-chapter p { color: #666; font-size: 0.85em; margin: 0.2em 0; text-align: left; }
body.fmc-cover { margin: 0; padding: 0; text-align: center; }
body.fmc-cover img { max-width: 100%; max-height: 100vh; }
nav#toc ol { list-style: none; padding-left: 1em; }
"""
