# Render Markdown as a Jekyll site does: kramdown with the GFM parser and Jekyll's default
# kramdown options (auto ids, smart quotes, entities as characters, no hard wrap). Highlighting
# is left to no highlighter: it changes markup, not text. Reads a JSON array of Markdown strings
# on stdin, writes a JSON array of HTML strings.
require 'json'
require 'kramdown'
require 'kramdown-parser-gfm'

OPTIONS = {
  input: 'GFM',
  auto_ids: true,
  entity_output: :as_char,
  footnote_nr: 1,
  smart_quotes: %w[lsquo rsquo ldquo rdquo],
  hard_wrap: false,
  guess_lang: true,
  show_warnings: false,
  math_engine: 'mathjax',
  syntax_highlighter: nil,
}.freeze

docs = JSON.parse($stdin.read)
out = docs.map { |text| Kramdown::Document.new(text, OPTIONS).to_html }
$stdout.write(JSON.generate(out))
