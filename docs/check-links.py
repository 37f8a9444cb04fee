#!/usr/bin/env python3
"""Checks the relative links of the documentation: the file exists, and a #anchor names a heading
of that file as GitHub slugs it (lower case, punctuation dropped, blanks to '-', '-1', '-2' ... for
repeats). Links inside code blocks and code spans are not links. Run from anywhere:

    python3 docs/check-links.py            # README.md, docs/*.md, BENCHMARKS.md, bench/results/*.md
    python3 docs/check-links.py FILE...    # only these

Exit status 0 when every link resolves, 1 otherwise (each broken link on stdout as FILE:LINE).
"""
import glob
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r'(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^()\s]+(?:\([^()]*\))?[^()\s]*)(?:\s+"[^"]*")?\)')
FENCE = re.compile(r'^\s*(```|~~~)')


def strip_code_spans(text):
    """Blanks out code spans (which may run over a line break), keeping every newline."""
    return re.sub(r'(`+)(.+?)\1', lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text, flags=re.S)


def lines_outside_fences(text):
    fenced = False
    for number, line in enumerate(text.split('\n'), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading):
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', heading)     # a link's text only
    text = re.sub(r'<[^>]+>', '', text)                           # inline HTML
    text = text.strip().lower()
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in ' -_' or cat[0] in 'LN' or cat == 'Mn':
            kept.append(ch)
    return ''.join(kept).replace(' ', '-')


_anchors = {}


def anchors(path):
    if path not in _anchors:
        seen = {}
        found = set()
        with open(path, encoding='utf-8') as f:
            text = f.read()
        for _, line in lines_outside_fences(text):
            m = re.match(r'^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$', line)
            if not m:
                continue
            base = slug(m.group(2))
            n = seen.get(base, 0)
            seen[base] = n + 1
            found.add(base if n == 0 else f'{base}-{n}')
        for m in re.finditer(r'<a\s+(?:name|id)="([^"]+)"', text):
            found.add(m.group(1))
        _anchors[path] = found
    return _anchors[path]


def blocks_outside_fences(text):
    """Paragraphs outside code blocks, joined, with the number of their first line: a link's
    text may run over a line break."""
    block, first = [], None
    for number, line in lines_outside_fences(text):
        if first is not None and (number != first + len(block) or not line.strip()):
            yield first, '\n'.join(block)
            block, first = [], None
        if not line.strip():
            continue
        if first is None:
            first = number
        block.append(line)
    if block:
        yield first, '\n'.join(block)


def check(path):
    broken = []
    count = 0
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for first, block in blocks_outside_fences(text):
        plain = strip_code_spans(block)
        for m in LINK.finditer(plain):
            number = first + plain.count('\n', 0, m.start())
            target = m.group(2)
            if target.startswith('<') and target.endswith('>'):
                target = target[1:-1]
            if re.match(r'^[a-z][a-z0-9+.-]*:', target):          # http:, https:, mailto:
                continue
            count += 1
            file_part, _, anchor = target.partition('#')
            resolved = path if file_part == '' else os.path.normpath(
                os.path.join(os.path.dirname(path), file_part))
            where = f'{os.path.relpath(path, ROOT)}:{number}'
            if not os.path.exists(resolved):
                broken.append(f'{where}: {target}: no such file')
            elif anchor:
                if not resolved.endswith('.md'):
                    broken.append(f'{where}: {target}: an anchor into a file that is not markdown')
                elif anchor not in anchors(resolved):
                    broken.append(f'{where}: {target}: no heading slugs to #{anchor}')
    return count, broken


def main(args):
    if args:
        files = [os.path.abspath(a) for a in args]
    else:
        files = [os.path.join(ROOT, 'README.md'), os.path.join(ROOT, 'BENCHMARKS.md')]
        files += sorted(glob.glob(os.path.join(ROOT, 'docs', '*.md')))
        files += sorted(glob.glob(os.path.join(ROOT, 'bench', 'results', '*.md')))
    total = 0
    broken = []
    for path in files:
        count, bad = check(path)
        total += count
        broken += bad
    for b in broken:
        print(b)
    print(f'{len(files)} files, {total} relative links, {len(broken)} broken')
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
