"""A generator of realistic front-matter HTML posts for benchmarks (deterministic by seed).

Posts have the shape of RSS-to-Hexo output: YAML front matter with odd dates and proxied image
fields, a wrapper ``<div>``, Chinese or English paragraphs, headings with ids, highlighted code
with copy buttons and brace escapes, tables, lists, hot-linked images, and boilerplate at the end.
"""

from __future__ import annotations

import os
import random

_ZH = (
    "城市里的小店正在重新定义社区生活，它们不再只卖商品，也提供一种可以停留的空间。"
    "很多经营者发现，真正留住客人的不是价格，而是那些被记住的细节。"
    "技术团队在迁移过程中遇到了不少问题，最棘手的是旧系统里没有文档的接口。"
    "我们先做了一次全面的盘点，把每个接口的调用方、频率和失败率都记录下来。"
    "从数据上看，超过一半的请求集中在三个接口上，这给了我们优先级排序的依据。"
    "「先让它跑起来，再让它跑得好」，这是项目负责人在第一次例会上说的话。"
)
_EN = (
    "The migration took longer than planned, mostly because nobody had written down what the old "
    "service actually did. We started by listing every endpoint, who called it and how often it "
    "failed. Half of the traffic went to three endpoints, which told us where to begin. The rest "
    "of the work was patient: one endpoint at a time, each behind a flag, each with a rollback. "
)
_CODE_JS = (
    '<span class="hljs-keyword">const</span> total = items.<span class="hljs-title function_">reduce</span>'
    "((sum, item) =&gt; sum + item.<span class=\"hljs-property\">price</span>, <span class=\"hljs-number\">0</span>);\n"
    '<span class="hljs-keyword">if</span> (total &lt;= limit &amp;&amp; user.<span class="hljs-property">ok</span>) &#123;\n'
    "  <span class=\"hljs-title function_\">checkout</span>(&#123; total &#125;);\n&#125;\n"
)


def _para(rng: random.Random, zh: bool) -> str:
    src = _ZH if zh else _EN
    start = rng.randrange(0, len(src) // 2)
    length = rng.randrange(60, 220) if zh else rng.randrange(200, 600)
    text = (src * 3)[start : start + length]
    if rng.random() < 0.3:
        text = text.replace("，", "，<strong>", 1).replace("。", "</strong>。", 1) if zh else text.replace(" ", " <em>", 1).replace(". ", "</em>. ", 1)
    if rng.random() < 0.2:
        text += ' 详见<a href="https://link.example.org/?target=https%3A%2F%2Fdocs.example.com%2Fguide" target="_blank" rel="nofollow noopener noreferrer">文档</a>。' if zh else ' See <a href="https://docs.example.com/guide" title="Guide">the guide</a>.'
    return f"<p>{text}</p>\n"


def make_post(seed: int, target_size: int = 24_000) -> str:
    """One post of about ``target_size`` bytes (UTF-8)."""
    rng = random.Random(seed)
    zh = rng.random() < 0.6
    title = f"第 {seed} 篇：社区小店与系统迁移" if zh else f"Post {seed}: what a migration taught us"
    img = f"https://img.example-cdn.cn/uploads/{seed % 97}/{seed}.jpg"
    date = rng.choice(
        [
            f"Wed, {1 + seed % 28:02d} Aug 2022 00:00:00 GMT",
            f"2021-08-{1 + seed % 28:02d} 02:22:05",
            f"2013/7/{1 + seed % 28} 20:46:25",
        ]
    )
    head = (
        f"\n---\ntitle: '{title}'\ncategories: \n - {'编程' if zh else 'Programming'}\n - 周刊\n"
        f"headimg: 'https://cors.example.dev/?{img.replace('https', 'http')}'\nauthor: 编辑部\n"
        f"comments: false\ndate: {date}\nthumbnail: '{img}'\n---\n\n<div>   \n"
    )
    parts = [head]
    size = len(head.encode())
    section = 0
    while size < target_size:
        roll = rng.random()
        if roll < 0.08:
            section += 1
            chunk = f'<h2 id="toc-{section}">{"第" + str(section) + "节" if zh else "Section " + str(section)}</h2>\n'
        elif roll < 0.14:
            chunk = f'<pre><code class="hljs language-javascript copyable" lang="javascript">{_CODE_JS}<span class="copy-code-btn">复制代码</span></code></pre>\n'
        elif roll < 0.18:
            rows = "".join(f"<tr><td>项目{i}</td><td>{rng.randrange(100)}</td><td>{'是' if i % 2 else '否'}</td></tr>" for i in range(rng.randrange(2, 6)))
            chunk = f"<table><thead><tr><th>名称</th><th>数量</th><th>完成</th></tr></thead><tbody>{rows}</tbody></table>\n"
        elif roll < 0.24:
            chunk = f'<p><img src="https://img.example-cdn.cn/uploads/{seed}/{size}.png" alt="{"示意图" if rng.random() < 0.7 else ""}" referrerpolicy="no-referrer"></p>\n'
        elif roll < 0.29:
            items = "".join(f"<li>{((_ZH if zh else _EN) * 2)[rng.randrange(100) :][:rng.randrange(20, 80)]}</li>" for _ in range(rng.randrange(2, 5)))
            chunk = f"<ul>{items}</ul>\n"
        elif roll < 0.31:
            chunk = f"<blockquote>{_para(rng, zh)}</blockquote>\n"
        else:
            chunk = _para(rng, zh)
        parts.append(chunk)
        size += len(chunk.encode())
    parts.append(
        '<div class="article--copyright"><p>本文由作者原创发布，未经许可，禁止转载。</p></div>\n'
        '<div class="support-author"><button class="reward-button"><svg viewBox="0 0 16 16"><path d="M8 1 L10 6 Z"/></svg>赞赏</button></div>   \n'
        "</div>\n            \n"
    )
    return "".join(parts)


def write_corpus(folder: str, count: int, seed: int = 1, min_size: int = 3_000, max_size: int = 60_000) -> list[str]:
    """Write ``count`` posts of varied sizes into ``folder`` (nested a level deep); returns paths."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        sub = os.path.join(folder, f"{2013 + i % 10}", f"{1 + i % 12:02d}")
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, f"post-{i:05d}.{'md' if i % 3 == 0 else 'html'}")
        size = int(rng.triangular(min_size, max_size, 18_000))
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(make_post(seed * 100_000 + i, size))
        paths.append(path)
    return paths
