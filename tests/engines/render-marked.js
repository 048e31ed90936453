// Render Markdown as a Hexo site does: hexo-renderer-marked with Hexo's default configuration
// (its own defaults, as its index.js sets them: gfm, breaks, smartypants, autolink, header ids).
// Reads a JSON array of Markdown strings on stdin, writes a JSON array of HTML strings.
'use strict';

global.hexo = {
  config: { url: 'http://example.com', root: '/', relative_link: false, post_asset_folder: false, source_dir: 'source' },
  extend: { renderer: { register() {} } }
};
require('hexo-renderer-marked');  // sets hexo.config.marked to the defaults
const renderer = require('hexo-renderer-marked/lib/renderer');

const context = Object.assign(global.hexo, {
  execFilterSync() {},
  model() { return { findOne() { return null; } }; }
});
const smartypants = process.argv.includes('--no-smartypants') ? false : hexo.config.marked.smartypants;

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const docs = JSON.parse(input);
  const out = docs.map(text => renderer.call(context, { text }, { smartypants }));
  process.stdout.write(JSON.stringify(out));
});
