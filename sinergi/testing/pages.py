"""Reading keyset-paginated lists in tests: follow the "More" links of one list to its end."""

import re

_NEXT = re.compile(r'href="\?([^"#]*)#[^"]*" rel="next"')


def keyset_pages(client, url, anchor=None, limit=20):
    """The HTML of every page of one list: of the element with id `anchor` up to its section's
    end (or the whole page without an anchor), following "More" until there is none."""
    pages, query = [], ""
    for _ in range(limit):
        html = client.get(f"{url}?{query}").content.decode()
        part = html.split(f'id="{anchor}"')[1].split("</section>")[0] if anchor else html
        pages.append(part)
        more = _NEXT.search(part)
        if not more:
            return pages
        query = more.group(1).replace("&amp;", "&")
    raise AssertionError("the pages never ended")
