"""Real-shaped posts for real site builds, generated (deterministic by seed).

:func:`make_post` writes one front-matter HTML post for a generator: a long Chinese post, a
code-heavy post in many languages, or a post of tables, footnotes, local images and embedded
video; its front matter in one of the languages and quirks posts come with (YAML with a blank
line before it, a BOM and CRLF, closed by ``...``; TOML; a JSON object; Hexo's ``;;;`` JSON;
none), dates as Hexo, RSS pipelines, Jekyll and Chinese blogs write them, unpublished posts,
a permalink to the site root, terms as a string, numbers or Hexo's nested lists. No template
syntax (``{{``, ``{%``, ``{#``): tests/test_engines.py and the template fixtures cover it.

Each post comes with its control: the same untouched HTML under a plain YAML front matter that
the generator reads, holding what the post means (title, the date as an instant, terms), and
with its local images placed as the generator expects them: Hugo a page bundle (relative
sources beside ``index``) or ``static/``, Jekyll ``assets/``, Hexo a post asset folder or
``source/images/``. The Hexo site has asset folders on (:data:`tests.sites.HEXO_ASSET_FOLDERS`).
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from dataclasses import dataclass, field

UTC = dt.timezone.utc

_ZH = (
    "老城区的茶馆在改造之后重新开张，街坊们说它又有了从前的样子。掌柜把旧账本摆在柜台上，"
    "谁都可以翻一翻，里面记着三十年来每一位常客的名字。技术团队在迁移旧系统时，最先做的是"
    "把没有文档的接口一个个找出来，记下调用方、频率和失败率。「先让它跑起来，再让它跑得好」，"
    "这句话后来被写在了白板的最上方。数据显示，超过一半的请求集中在三个接口上，这给了排期"
    "最直接的依据；剩下的工作则需要耐心：一次只迁一个接口，每个都有开关，每个都能回滚。"
)
_EN = (
    "The old tea house reopened after the works, and the neighbours say it looks the way it used "
    "to. The owner keeps the ledger on the counter; anyone may leaf through thirty years of "
    "regulars. When the team moved the old system, the first job was finding every endpoint "
    "nobody had documented, and writing down who called it, how often, and how often it failed. "
)
_CODE = {
    "python": 'def total(items: list[dict]) -> float:\n    """Sum of prices & taxes."""\n    return sum(i["price"] * (1 + i.get("tax", 0)) for i in items if i["price"] > 0)\n',
    "go": 'func Total(items []Item) (sum float64) {\n\tfor _, it := range items {\n\t\tif it.Price > 0 && !it.Void {\n\t\t\tsum += it.Price\n\t\t}\n\t}\n\treturn\n}\n',
    "rust": 'fn total(items: &[Item]) -> f64 {\n    items.iter().filter(|i| i.price > 0.0).map(|i| i.price).sum::<f64>()\n}\nprintln!("total = {}", total(&items));\n',
    "javascript": "const total = items.reduce((sum, item) => sum + item.price, 0);\nif (total <= limit && user.ok) {\n  checkout({ total });\n}\n",
    "typescript": "type Item = { price: number; tax?: number };\nexport const total = (xs: Item[]): number => xs.reduce((s, x) => s + x.price, 0);\n",
    "java": "public static <T extends Item> double total(List<T> items) {\n    return items.stream().mapToDouble(Item::price).sum();\n}\n",
    "c": '#include <stdio.h>\nint main(void) {\n    int a[] = {1, 2, 3};\n    printf("%d\\n", a[0] << 2 | a[1]);\n    return 0;\n}\n',
    "cpp": "template <typename T>\nauto total(const std::vector<T>& xs) -> double {\n    return std::accumulate(xs.begin(), xs.end(), 0.0);\n}\n",
    "bash": 'for f in *.html; do\n  fmconvert convert "$f" -t md --profile hugo > "${f%.html}.md" || echo "failed: $f" >&2\ndone\n',
    "sql": "SELECT c.name, COUNT(*) AS n\nFROM orders o JOIN customers c ON c.id = o.customer_id\nWHERE o.total > 100 AND o.note <> ''\nGROUP BY c.name HAVING COUNT(*) >= 3;\n",
    "yaml": "services:\n  web:\n    image: nginx:1.25\n    ports: ['8080:80']\n    environment:\n      - MODE=production\n",
    "json": '{\n  "name": "tea-house",\n  "version": "1.0.0",\n  "scripts": { "build": "hexo generate" }\n}\n',
    "html": '<ul class="menu">\n  <li><a href="/tea/">茶单</a></li>\n  <li><img src="logo.png" alt="logo"></li>\n</ul>\n',
    "css": ".menu > li:first-child::before {\n  content: \"\\2022\";\n  color: #c33;\n}\n",
    "diff": "--- a/config.yml\n+++ b/config.yml\n@@ -1,3 +1,3 @@\n-timezone: UTC\n+timezone: Asia/Shanghai\n language: zh-CN\n",
    "kotlin": 'data class Item(val price: Double)\nfun total(xs: List<Item>) = xs.sumOf { it.price }\nprintln("total=${total(items)}")\n',
    "ruby": "def total(items)\n  items.select { |i| i[:price] > 0 }.sum { |i| i[:price] }\nend\nputs \"total: #{total(items)}\"\n",
    "php": '<?php\nfunction total(array $items): float {\n    return array_sum(array_map(fn($i) => $i["price"], $items));\n}\necho total($items) . "\\n";\n',
}


@dataclass
class GeneratedPost:
    name: str  # the file name our converted post is built under (a bundle: "stem/index.md")
    source: bytes  # the front-matter HTML post, as a blog has it
    control: bytes  # the untouched HTML body under plain YAML the generator reads
    control_name: str
    files: dict[str, bytes] = field(default_factory=dict)  # site files: images where the generator expects them
    title: str = ""
    date: dt.datetime | None = None  # the instant the post means (None: none, or none a generator reads)
    images: int = 0  # local images in the body
    categories: list[str] = field(default_factory=list)  # the terms the post means
    tags: list[str] = field(default_factory=list)


def png(seed: int) -> bytes:
    """A tiny PNG of its own colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixel = bytes([0, seed % 251, (seed * 7) % 251, (seed * 13) % 251])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(pixel)) + chunk(b"IEND", b"")


def _text(rng: random.Random, zh: bool, size: int) -> str:
    source = _ZH if zh else _EN
    start = rng.randrange(len(source) // 2)
    text = (source * 4)[start : start + size]
    if rng.random() < 0.3:
        text = text.replace("，", "，<strong>", 1).replace("。", "</strong>。", 1) if zh else text.replace(" ", " <em>", 1).replace(". ", "</em>. ", 1)
    if rng.random() < 0.25:
        text += '详见<a href="https://docs.example.cn/guide?lang=zh&amp;v=2">迁移指南</a>。' if zh else ' See <a href="https://docs.example.com/guide">the guide</a> and <code>make build</code>.'
    return text


def _body(rng: random.Random, kind: str, zh: bool, img: str, seed: int) -> tuple[list[str], int]:
    """The blocks of a post of ``kind`` and its number of local images (sources ``img`` + n.png)."""
    blocks: list[str] = []
    images = 0

    def image(alt: str, extra: str = "") -> str:
        nonlocal images
        images += 1
        return f'<img src="{img}{images}.png" alt="{alt}"{extra}>'

    if kind == "cjk":
        for section in range(1, rng.randrange(8, 14)):
            blocks.append(f'<h2 id="sec-{section}">第{section}节：{"茶馆与旧系统"[: 2 + section % 5]}</h2>')
            blocks += [f"<p>{_text(rng, True, rng.randrange(120, 400))}</p>" for _ in range(rng.randrange(3, 8))]
            if section % 3 == 0:
                blocks.append(f"<blockquote><p>{_text(rng, True, 80)}</p></blockquote>")
            if section % 4 == 1:
                blocks.append(f"<p>{image('茶馆门口')}</p>")
            if section % 5 == 2:
                blocks.append("<ol>" + "".join(f"<li>{_text(rng, True, 40)}</li>" for _ in range(3)) + "</ol>")
    elif kind == "code":
        langs = rng.sample(sorted(_CODE), 8)
        for i, lang in enumerate(langs):
            blocks.append(f"<h3>{lang}</h3>" if i % 2 else f"<p>{_text(rng, zh, 150)}</p>")
            code = _CODE[lang].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            if i == 3:  # Hexo's highlighter table
                lines = "".join(f'<span class="line">{line}</span><br>' for line in code.rstrip("\n").split("\n"))
                numbers = "".join(f'<span class="line">{n}</span><br>' for n in range(1, code.count("\n") + 1))
                blocks.append(f'<figure class="highlight {lang}"><table><tr><td class="gutter"><pre>{numbers}</pre></td><td class="code"><pre>{lines}</pre></td></tr></table></figure>')
            else:
                blocks.append(f'<pre><code class="language-{lang}">{code}</code></pre>')
        blocks.append(f"<p>Inline: <code>a &lt; b &amp;&amp; c</code>, <code>x | y</code> and <code>`tick`</code>. {image('diagram')}</p>")
    else:
        blocks.append(f"<p>{_text(rng, zh, 200)}<sup class=\"footnote-ref\"><a href=\"#fn1\" id=\"fnref1\">[1]</a></sup></p>")
        rows = "".join(f"<tr><td>项目{i}</td><td>{rng.randrange(1000)}</td><td>{'是' if i % 2 else 'no | maybe'}</td></tr>" for i in range(rng.randrange(3, 7)))
        blocks.append(f"<table><thead><tr><th>名称</th><th>数量</th><th>完成</th></tr></thead><tbody>{rows}</tbody></table>")
        blocks.append(f'<p>{image("架构图")}</p>')
        sized = image("缩略图", ' width="320" height="180"')
        blocks.append(f"<p>{sized} 图注：{_text(rng, zh, 40)}</p>")
        blocks.append(f'<p><a href="https://example.com/full.png">{image("linked")}</a></p>')
        blocks.append(f'<p><iframe src="https://www.youtube.com/embed/v{seed}" width="560" height="315" frameborder="0" allowfullscreen></iframe></p>')
        blocks.append(f'<p>{_text(rng, zh, 80)} <iframe src="https://player.bilibili.example.com/player.html?bvid=BV{seed}"></iframe> {_text(rng, zh, 40)}</p>')
        blocks.append(f'<ul><li>{_text(rng, zh, 30)} <video src="https://media.example.com/{seed}.mp4" controls></video></li><li><iframe src="https://maps.example.com/embed?q={seed}"></iframe></li></ul>')
        blocks.append(f'<table><tr><th colspan="2">合并</th></tr><tr><td>{_text(rng, zh, 20)}</td><td><img src="{img}1.png" alt="again"></td></tr></table>')
        blocks.append(f"<p>{_text(rng, zh, 160)}<sup class=\"footnote-ref\"><a href=\"#fn2\" id=\"fnref2\">[2]</a></sup></p>")
        blocks.append('<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">\n'
                      f'<li id="fn1" class="footnote-item"><p>{_text(rng, zh, 50)} <a href="#fnref1" class="footnote-backref">↩︎</a></p>\n</li>\n'
                      f'<li id="fn2" class="footnote-item"><p>见 <a href="https://example.cn/src">原文</a>。 <a href="#fnref2" class="footnote-backref">↩︎</a></p>\n</li>\n</ol>\n</section>')
    return blocks, images


# (front-matter shape, the date as written, the instant it means, extra lines)
_SHAPES = [
    ("yaml", "Sat, 13 May 2023 08:00:00 +0800", dt.datetime(2023, 5, 13, tzinfo=UTC), ""),
    ("yaml-blank", "2013/7/13 20:46:25", dt.datetime(2013, 7, 13, 20, 46, 25, tzinfo=UTC), "updated: 2014/1/2 03:04:05\n"),
    ("yaml-dots", "2021-08-07 02:22:05", dt.datetime(2021, 8, 7, 2, 22, 5, tzinfo=UTC), "published: true\n"),
    ("yaml-bom-crlf", "2018-11-02 09:30:00 -0700", dt.datetime(2018, 11, 2, 16, 30, tzinfo=UTC), "layout: post\n"),
    ("toml", "2012-03-04T21:15:00+08:00", dt.datetime(2012, 3, 4, 13, 15, tzinfo=UTC), ""),
    ("json", "2019-06-21T07:00:00Z", dt.datetime(2019, 6, 21, 7, tzinfo=UTC), ""),
    ("hexo-json", "2013/7/13 20:46:25", dt.datetime(2013, 7, 13, 20, 46, 25, tzinfo=UTC), ""),
    ("yaml", "2023年5月13日 10:30", dt.datetime(2023, 5, 13, 10, 30, tzinfo=UTC), "permalink: /\n"),
    ("yaml", "May 13, 2023", dt.datetime(2023, 5, 13, tzinfo=UTC), "published: false\n"),
    ("yaml", "2021-8-7", dt.datetime(2021, 8, 7, tzinfo=UTC), "draft: true\nlastmod: 2022-01-02\n"),
    ("yaml", "yesterday", None, "permalink: /index.html\n"),
    ("none", "", None, ""),
]


def _front(shape: str, title: str, date: str, categories: object, tags: list[object], extra: str) -> str:
    import json

    if shape == "none":
        return ""
    if shape == "toml":
        tag_list = ", ".join(json.dumps(str(t)) for t in tags)
        return f"+++\ntitle = {json.dumps(title, ensure_ascii=False)}\ndate = {date}\ntags = [{tag_list}]\n+++\n"
    meta = {"title": title, "date": date, "tags": [str(t) for t in tags]}
    if shape == "json":
        return json.dumps(meta, ensure_ascii=False, indent=2) + "\n\n"
    if shape == "hexo-json":
        return json.dumps(meta, ensure_ascii=False, indent=0)[2:-2] + "\n;;;\n"
    tag_yaml = "[" + ", ".join(str(t) for t in tags) + "]"
    cats = categories if isinstance(categories, str) else "[" + ", ".join(f"[{', '.join(c)}]" if isinstance(c, list) else c for c in categories) + "]"  # type: ignore[union-attr]
    block = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: {date}\ncategories: {cats}\ntags: {tag_yaml}\n{extra}{'...' if shape == 'yaml-dots' else '---'}\n"
    return ("\n" if shape == "yaml-blank" else "") + block


def _flat(categories: object) -> list[str]:
    if isinstance(categories, str):
        return [categories]
    return [str(x) for c in categories for x in (c if isinstance(c, list) else [c])]  # type: ignore[union-attr]


def site_files(engine: str) -> dict[str, bytes]:
    """The files of the site generated posts are built in, beside the skeleton's."""
    from tests.sites import HEXO_ASSET_FOLDERS

    return {"_config.yml": HEXO_ASSET_FOLDERS.encode()} if engine == "hexo" else {}


def make_post(seed: int, engine: str, bundles: bool = True) -> GeneratedPost:
    """Post ``seed`` for ``engine`` (images placed as it expects them; ``bundles`` False: never
    beside the post, always in the site's static folder)."""
    rng = random.Random(seed)
    kind = ("cjk", "code", "media")[seed % 3]
    zh = kind == "cjk" or rng.random() < 0.5
    shape, date_text, instant, extra = _SHAPES[seed % len(_SHAPES)]
    stem = f"gen-{seed:04d}"
    bundle = bundles and engine in ("hugo", "hexo") and seed % 2 == 1  # relative sources beside the post
    img = "" if bundle else {"hugo": f"/images/{stem}/", "jekyll": f"/assets/{stem}/", "hexo": f"/images/{stem}/"}[engine]
    blocks, images = _body(rng, kind, zh, img, seed)
    if shape == "none" and seed % 2 == 0:
        blocks.insert(0, f"<ul><li>{_text(rng, zh, 30)}</li></ul>")  # Hugo reads a leading "-" as a fence
    title = f"第 {seed} 篇：茶馆、旧系统与“第二次生命”" if zh else f"Post {seed}: don't panic — a “guide” & notes"
    categories: object = rng.choice(["随笔", ["编程", "周刊"], [["生活", "茶馆"], "周刊"]])
    tags: list[object] = rng.choice([["tea", "迁移"], [2021, "notes"], ["hugo"]])
    front = _front(shape, title, date_text, categories, tags, extra)
    has_terms = shape.startswith("yaml")
    body = "<div>\n" + "\n".join(blocks) + "\n</div>\n"
    source = front + body
    if shape == "yaml-bom-crlf":
        source = "\ufeff" + source.replace("\n", "\r\n")
    meta_lines = []
    if shape != "none":
        meta_lines.append(f"title: {_quoted(title)}")
        if instant is not None:
            meta_lines.append(f"date: {instant.strftime('%Y-%m-%dT%H:%M:%SZ')}")
        if has_terms:
            meta_lines.append("categories: [" + ", ".join(_quoted(c) for c in _flat(categories)) + "]")
        meta_lines.append("tags: [" + ", ".join(_quoted(str(t)) for t in tags) + "]")
    control_front = "---\n" + "".join(line + "\n" for line in meta_lines) + "---\n" if meta_lines else ("---\n{}\n---\n" if engine == "hexo" else "")
    # Hexo renders a post in an asset-folder site only when named .md: the control is the
    # untouched HTML as one HTML block of Markdown (no blank line in it), which Hexo passes on.
    control_ext = ".md" if engine == "hexo" else ".html"
    name, control_name = (f"{stem}/index.md", f"{stem}-control/index.html") if bundle and engine == "hugo" else (f"{stem}.md", f"{stem}-control{control_ext}")
    files: dict[str, bytes] = {}
    for n in range(1, images + 1):
        data = png(seed * 100 + n)
        if bundle and engine == "hugo":
            files[f"content/posts/{stem}/{n}.png"] = files[f"content/posts/{stem}-control/{n}.png"] = data
        elif bundle:
            files[f"source/_posts/{stem}/{n}.png"] = files[f"source/_posts/{stem}-control/{n}.png"] = data
        else:
            files[({"hugo": "static", "jekyll": "", "hexo": "source"}[engine] + img).lstrip("/") + f"{n}.png"] = data
    return GeneratedPost(
        name,
        source.encode(),
        (control_front + body).encode(),
        control_name,
        files,
        title if shape != "none" else "",
        instant,
        images,
        _flat(categories) if has_terms else [],
        [str(t) for t in tags] if shape != "none" else [],
    )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
