"""A local web site of generated article pages for the import tests and benchmarks/bulk_import.py.

Served on 127.0.0.1 only (no test reaches the internet). Besides `/articles/<n>`, paths that misbehave the
way the web does: redirects, redirect loops, slow and huge bodies, wrong content types, legacy encodings.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from contextlib import contextmanager

from image_helpers import png

WORDS = ("river harbour lantern meadow copper signal orchard granite violet tunnel compass ember falcon "
         "glacier hollow island juniper kettle ledger marble nectar oyster pepper quarry raven saddle "
         "thistle umber velvet willow yonder zephyr").split()


def sentence(n: int, k: int) -> str:
    """A sentence unique to article n, paragraph k: highlights taken from it anchor in one place."""
    words = [WORDS[(n * 7 + k * 3 + i * i) % len(WORDS)] for i in range(9)]
    return f"Sentence {k} of report {n} says the {' '.join(words)} stayed put."


def paragraph(n: int, k: int) -> str:
    return f"{sentence(n, k)} The town council met again on the matter. Reporter note {n}-{k} closes it."


def article_html(n: int, paragraphs: int = 6, charset: str | None = "utf-8", title: str | None = None) -> str:
    title = title or f"Report number {n} on the harbour works"
    meta = f'<meta charset="{charset}">' if charset else ""
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "author": {"@type": "Person", "name": "Dana Whitfield"},
                     "publisher": {"@type": "Organization", "name": "Harbour Gazette"},
                     "datePublished": f"2024-03-0{1 + n % 9}T10:00:00Z"})
    body = "".join(f"<p>{paragraph(n, k)}</p>" for k in range(paragraphs))
    return (f"<!DOCTYPE html><html lang=\"en\"><head>{meta}<title>{title} | Harbour Gazette</title>"
            f"<script type=\"application/ld+json\">{ld}</script></head><body><article><h1>{title}</h1>"
            f"<p class=\"byline\">By Dana Whitfield</p>{body}</article></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without this, Nagle's algorithm holds the body until the
        # client's delayed ACK, 40 ms a page, and the benchmark would time the site instead of the import.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args) -> None:
        pass

    def send(self, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8", headers=()) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        parts = path.strip("/").split("/")
        try:
            if parts[0] == "articles":
                self.send(200, article_html(int(parts[1])).encode("utf-8"))
            elif parts[0] == "moved":  # /moved/<n> → /articles/<n>
                self.send(301, headers=[("Location", f"/articles/{parts[1]}")])
            elif parts[0] == "loop":
                self.send(302, headers=[("Location", "/loop")])
            elif parts[0] == "slow":  # a byte every 0.2 s, for ever (the import's time limit must stop it)
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(200):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            elif parts[0] == "stall":  # headers, then nothing
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                time.sleep(5)
            elif parts[0] == "huge":  # 7 MB with no Content-Length
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(7 * 16):
                    self.wfile.write(b"<p>" + b"x" * 65530 + b"</p>")
            elif parts[0] == "pictured":  # /pictured/<n>: an article with pictures, one of them missing
                self.send(200, pictured_html(int(parts[1])).encode("utf-8"))
            elif path == "/pictures/quay.png":
                self.send(200, png(12, 9), "image/png")
            elif path == "/pictures/fake.png":  # a page that calls itself a picture
                self.send(200, b"<html>not a picture</html>", "image/png")
            elif parts[0] == "pdf":
                self.send(200, b"%PDF-1.4 not a page", "application/pdf")
            elif parts[0] == "latin2":  # encoding named only by the HTTP header
                page = article_html(int(parts[1]), charset=None, title="Zpráva o přístavu " + parts[1])
                self.send(200, page.encode("iso-8859-2"), "text/html; charset=iso-8859-2")
            elif parts[0] == "cp1252-meta":  # encoding named only in the page
                page = article_html(int(parts[1]), charset="windows-1252", title="Café “quotes” report " + parts[1])
                self.send(200, page.encode("cp1252"), "text/html")
            else:
                self.send(404, b"<h1>Not found</h1>")
        except (BrokenPipeError, ConnectionResetError):
            pass


def pictured_html(n: int) -> str:
    """Article n with a credited picture on this site, and one that is gone."""
    figures = "".join(
        f"<figure><img src='/pictures/{name}' alt='The quay'><figcaption>The quay. Photo: Ana Ruiz/Harbour Post</figcaption></figure>"
        for name in ("quay.png", "gone.png")
    )
    return article_html(n).replace("</article>", figures + "</article>")


@contextmanager
def serving():
    """The site's base URL (http://127.0.0.1:<port>) while the block runs."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # a client that gave up on /huge or /slow is expected
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """Serve until killed, printing the base URL first (benchmarks/bulk_import.py runs this in its own process,
    so the web site's work is not counted as the import's)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None
    print(f"http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
