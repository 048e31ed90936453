"""Markdown: CommonMark with GFM tables and strikethrough, and the same front matter as HTML."""
