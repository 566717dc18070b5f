"""The live test server itself: a browser that drops a download half-way leaves no open file.

Chromium cancels font downloads when a test navigates on; werkzeug's development server can
then fail before closing the response, and pytest (warnings are errors) fails whichever test
was running with an unclosed-file warning. This plays that browser with a raw socket.
"""

from __future__ import annotations

import gc
import socket
import struct
import time

from tests.browser.conftest import LiveTracker

FONT = "/static/fonts/NotoSansDevanagari-Regular.ttf"


def drop_mid_download(url: str, path: str) -> None:
    host, port = url.removeprefix("http://").split(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # A small window before connecting: the server is still writing when the reset comes.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(5)
        sock.connect((host, int(port)))
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        first = sock.recv(1024)
        assert first.startswith(b"HTTP/1.1 200"), first[:80]
        # Linger zero: close with a reset, as a cancelled request does, not a polite FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_dropped_download_closes_its_file(tracker: LiveTracker) -> None:
    for _ in range(20):
        drop_mid_download(tracker.url, FONT)
    time.sleep(0.5)  # the server thread notices the reset on its next write
    gc.collect()  # an unclosed file would warn here, and the warning fails this test
    drop_mid_download(tracker.url, FONT)
