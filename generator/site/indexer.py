"""Pagefind indexes the searched pages in MkDocs' order, while MkDocs writes them.

Pagefind numbers the pages in the order they are added, and the numbers are part of the index.
Run over a folder, it adds them in the order the file system lists them, which differs between
file systems, so the same site gave different indexes on different machines. Here each page
goes to Pagefind's indexing service (``pagefind --service``, the interface its Node and Python
packages drive) as soon as MkDocs has made it, in MkDocs' order of pages: the same pages make
the same index on any machine. Pagefind reads them on the other core meanwhile (on two cores
that saves little: the README has the figures).

The protocol is small: each message, both ways, is base64 of a JSON object followed by a comma.
It is spoken here, not through the ``pagefind`` Python package, because that package waits a
tenth of a second before reading each reply (for 13,000 pages, over 20 minutes) and is
asynchronous, where MkDocs calls its plugins one after another.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

from .searchparts import SHARD_PAGES, join

# The attribute the theme gives the main content of a page that search finds (main.html).
MARKED = "data-pagefind-body"
# Pages waiting for Pagefind (about 50 KB each): enough that MkDocs does not wait on a run of
# long pages, few enough that a slow Pagefind cannot fill the memory.
_WAITING = 400
# Pages in one Pagefind process. It holds about 300 KB a page while it builds the index, so a
# part stays under a gigabyte however large the site grows (searchparts.py joins the parts).
PART_PAGES = 2_000


class IndexingError(Exception):
    pass


class Indexer:
    """One Pagefind index, fed pages by their path in the site."""

    def __init__(self) -> None:
        from pagefind.service import get_executable

        program = get_executable()
        if program is None:
            raise IndexingError("Pagefind's program is not installed")
        self._process = subprocess.Popen(
            [str(program), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._sent = self._answered = 0
        self._asked: dict[int, dict | None] = {}
        self._errors: list[str] = []
        self._ended = False
        self._change = threading.Condition()
        self._waiting: queue.Queue[bytes | None] = queue.Queue(_WAITING)
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self._index = self._ask({"type": "NewIndex", "config": None})["index_id"]
        except IndexingError:
            self.close()
            raise

    def add(self, path: str, html: str) -> None:
        """Index the page at ``path`` in the site, if its content is marked for search."""
        if MARKED in html:
            if self._ended or self._errors:
                self._fail()
            page = {"type": "AddFile", "index_id": self._index, "url": None}
            self._send({**page, "file_path": path, "file_contents": html})

    def write(self, folder: Path) -> None:
        """Write the index into ``folder`` once every page added is indexed.

        The index's files are asked for and written here. Pagefind's own request to write them
        answers before its writes are done (they finish in the background), and the service
        exits without waiting for them, so a file could be read, or left, half written
        (Pagefind/pagefind#1271; the fix merged upstream is not in 1.5.2, the version locked)."""
        files = self._ask({"type": "GetFiles", "index_id": self._index}).get("files", [])
        folder.mkdir(parents=True, exist_ok=True)
        while files:
            file = files.pop()
            name = Path(file["path"])
            if name.is_absolute() or ".." in name.parts:
                raise IndexingError(f"Pagefind gave a file outside its folder: {name}")
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(base64.b64decode(file["content"]))

    def close(self) -> None:
        """Stop Pagefind (after the index is written, or when the build has failed)."""
        self._process.kill()
        self._process.wait()
        self._waiting.put(None)
        self._writer.join()

    def _send(self, payload: dict) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode("utf-8")
        self._waiting.put(base64.b64encode(message) + b",")
        return self._sent

    def _write(self) -> None:
        """Send the waiting messages (in another thread, so MkDocs goes on while Pagefind
        reads a long page)."""
        stdin = self._process.stdin
        assert stdin is not None
        try:
            while (message := self._waiting.get()) is not None:
                stdin.write(message)
                if self._waiting.empty():
                    stdin.flush()
        except OSError:  # Pagefind stopped (the reader says why): the rest is not sent
            while self._waiting.get() is not None:
                pass
        with contextlib.suppress(OSError):
            stdin.close()

    def _ask(self, payload: dict) -> dict:
        """Send ``payload`` and wait for its answer and every earlier one."""
        number = self._sent + 1
        with self._change:
            self._asked[number] = None
        self._send(payload)
        with self._change:
            self._change.wait_for(lambda: self._answered >= number or self._ended)
            answer = self._asked.pop(number)
        if self._errors or answer is None:
            self._fail()
        assert answer is not None
        return answer

    def _fail(self):
        """Raise what Pagefind said went wrong (waiting a moment for it to say it)."""
        with self._change:
            self._change.wait_for(lambda: self._ended or bool(self._errors), timeout=5)
            why = "; ".join(self._errors[:3]) or "it stopped"
        raise IndexingError(f"Pagefind could not index the site: {why}")

    def _read(self) -> None:
        """Collect the answers (in another thread, so the pipe never fills while pages are
        sent)."""
        assert self._process.stdout is not None
        parts: list[bytes] = []  # of a message not yet ended (the index's files: megabytes)
        while chunk := self._process.stdout.read1(1 << 16):
            *ended, rest = chunk.split(b",")
            for piece in ended:
                self._answer(b"".join([*parts, piece]))
                parts = []
            parts.append(rest)
        with self._change:
            if rest := b"".join(parts).strip():
                self._errors.append(rest.decode("utf-8", "replace"))
            self._ended = True
            self._change.notify_all()

    def _answer(self, message: bytes) -> None:
        try:
            reply = json.loads(base64.b64decode(message, validate=True))
        except (binascii.Error, ValueError):  # not the protocol: Pagefind says what is wrong
            reply = {"payload": {"type": "Error", "message": message.decode("utf-8", "replace")}}
        payload = reply.get("payload") or {}
        with self._change:
            if payload.get("type") == "Error":
                self._errors.append(str(payload.get("message", "")).strip())
            number = reply.get("message_id")
            if number in self._asked:
                self._asked[number] = payload
            self._answered += 1
            self._change.notify_all()


class PartedIndex:
    """The site's index made in parts of ``per_part`` searched pages, each by a Pagefind
    process of its own, and joined into the index one process would make (searchparts.py);
    beyond ``shard_pages`` pages, into several indexes that the search page searches together.

    Each part's index is kept in ``keep`` under a hash of its pages (their paths and HTML) and
    of Pagefind's program, so a later build indexes again only the parts with a changed page;
    the parts no longer used are removed when the index is written. With ``ahead``, each page
    goes to Pagefind as it comes (a full build: Pagefind reads on the second core while MkDocs
    writes, and a part found kept is dropped); without, a part's pages go to Pagefind once
    the part is complete and only if it is not kept (a rebuild, which reads most pages from
    the site at the end). A complete part is written by another thread while the next one is
    read; one part is written at a time."""

    def __init__(
        self,
        site: Path,
        keep: Path,
        per_part: int = PART_PAGES,
        ahead: bool = True,
        shard_pages: int = SHARD_PAGES,
    ) -> None:
        keep.mkdir(parents=True, exist_ok=True)
        self._site = site
        self._keep = keep
        self._per_part = per_part
        self._shard_pages = shard_pages
        self._ahead = ahead
        self._parts: list[Path] = []
        self._pages: list[str] = []
        self._program = self._program_identity(per_part)
        self._hash = hashlib.sha256(self._program)
        self._reading: Indexer | None = None
        self._writing: threading.Thread | None = None
        self._running: Indexer | None = None
        self._failed: list[Exception] = []
        self._closed = False

    def add(self, path: str, html: str) -> None:
        """Index the page at ``path`` in the site (written there by the time its part is
        complete), if its content is marked for search."""
        if MARKED not in html:
            return
        if len(self._pages) == self._per_part:
            self._seal()
        if self._ahead:
            if self._reading is None:
                self._reading = Indexer()
            self._reading.add(path, html)
        self._pages.append(path)
        self._hash.update(f"{path}\0{len(html)}\0{html}".encode())

    def write(self, folder: Path) -> None:
        """Write the index into ``folder`` once every part is indexed."""
        if self._pages or not self._parts:
            self._seal()
        self._wait()
        try:
            join(self._parts, folder, self._shard_pages)
        except (OSError, ValueError) as exc:
            why = f"the parts of the search index could not be joined: {exc}"
            raise IndexingError(why) from exc
        for unused in set(self._keep.iterdir()) - set(self._parts):
            shutil.rmtree(unused, ignore_errors=True)

    def close(self) -> None:
        """Stop Pagefind (after the index is written, or when the build has failed)."""
        self._closed = True
        for indexer in (self._reading, self._running):
            if indexer is not None:
                indexer.close()
        if self._writing is not None:
            self._writing.join()

    @staticmethod
    def _program_identity(per_part: int) -> bytes:
        """What a kept part's index depends on besides its pages: Pagefind's program (found
        once, here) and the size of a part."""
        from pagefind.service import get_executable

        program = get_executable()
        about = os.stat(program) if program else None
        size, changed = (about.st_size, about.st_mtime_ns) if about else (None, None)
        return f"{program}\0{size}\0{changed}\0{per_part}\0".encode()

    def _seal(self) -> None:
        """The pages so far are a part: index them, unless an earlier build already did."""
        folder = self._keep / self._hash.hexdigest()
        pages, self._pages, self._hash = self._pages, [], hashlib.sha256(self._program)
        reading, self._reading = self._reading, None
        self._parts.append(folder)
        if folder.is_dir():
            if reading is not None:
                reading.close()
            return
        self._wait()
        self._writing = threading.Thread(
            target=self._index, args=(reading, pages, folder), daemon=True
        )
        self._writing.start()

    def _index(self, indexer: Indexer | None, pages: list[str], folder: Path) -> None:
        """Write a part's index into ``folder``, from ``indexer`` if it has read the pages."""
        unfinished = folder.with_name(folder.name + ".new")
        shutil.rmtree(unfinished, ignore_errors=True)
        try:
            unread = pages if indexer is None else []
            self._running = indexer = indexer or Indexer()
            try:
                if self._closed:
                    raise IndexingError("the build has stopped")
                for page in unread:
                    indexer.add(page, (self._site / page).read_text("utf-8"))
                indexer.write(unfinished)
            finally:
                indexer.close()
            unfinished.rename(folder)
        except IndexingError as exc:
            self._failed.append(exc)
        except OSError as exc:
            self._failed.append(IndexingError(f"a part of the search index: {exc}"))

    def _wait(self) -> None:
        if self._writing is not None:
            self._writing.join()
            self._writing = None
        if self._failed:
            raise self._failed[0]
