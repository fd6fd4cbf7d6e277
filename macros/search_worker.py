"""A process that builds one language's search index while MkDocs renders that language's pages.

Extracting every key of every page (search_shards.py) takes about a tenth of a language's build; done after
the last page it would add that much to the build. The site build (scripts/build_site.py) has a core to spare
while a language renders, so the language's process forks this worker when the build starts: the worker
indexes the glossary and source documents at once, then each page as the build hands it over (through a pipe),
and writes the index when the build ends. Its failure is the build's: an error it meets (a full disk, say) is
sent back and raised in the build, which stops without publishing. It is killed if the build's process dies.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
from pathlib import Path

from .search_shards import IndexWriter, write_files

_LENGTH = 4  # bytes of a message's length, before the message


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; elsewhere nothing): a killed build
    leaves nothing running."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _read(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the build stopped before the end of its pages")
    return data


def _send(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_LENGTH, "little") + data)


class IndexWorker:
    """The build's side: hand pages over, then wait for the index to be written."""

    def __init__(self, builder):
        pages_read, pages_write = os.pipe()
        result_read, result_write = os.pipe()
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(pages_write)
            os.close(result_read)
            code = 1
            try:
                die_with_parent()
                if os.getppid() != parent:
                    os._exit(1)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                gc.disable()  # a short-lived process making many small objects: the collector would rescan them all
                with os.fdopen(pages_read, "rb") as pages, os.fdopen(result_write, "wb") as result:
                    code = _work(builder, pages, result)
            except BaseException:  # noqa: B036 - whatever happens, the worker ends here, not in the build's code
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(pages_read)
        os.close(result_write)
        self.pid = pid
        self.pages = os.fdopen(pages_write, "wb")
        self.result = os.fdopen(result_read, "rb")
        self.broken = False

    def send(self, page: tuple) -> None:
        if self.broken:
            return
        try:
            _send(self.pages, page)
        except BrokenPipeError:  # the worker stopped: finish() says why
            self.broken = True

    def finish(self, folder: Path) -> None:
        self.send(("end", str(folder)))
        with contextlib.suppress(BrokenPipeError):
            self.pages.close()
        try:
            outcome = pickle.loads(self.result.read())
        except (EOFError, pickle.UnpicklingError):
            outcome = RuntimeError("the search index could not be built (the worker's messages are above)")
        finally:
            self.result.close()
            os.waitpid(self.pid, 0)
        if outcome is not None:
            raise outcome


def _work(builder, pages, result) -> int:
    """The worker's side: index the data's entries, then each page as it comes; write the index at the end.
    Sends None when the index is written, or the exception that stopped it. A thread reads the pages as soon
    as they come, so the build never waits on a full pipe (the worker itself first waits for the pinyin)."""
    received: queue.SimpleQueue = queue.SimpleQueue()

    def read_pages() -> None:
        try:
            while True:
                message = pickle.loads(_read(pages, int.from_bytes(_read(pages, _LENGTH), "little")))
                received.put(message)
                if message[0] == "end":
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the worker, which reports it
            received.put(("failed", exc))

    threading.Thread(target=read_pages, daemon=True).start()
    try:
        writer = IndexWriter()
        for doc in builder.data_documents():
            writer.add(doc)
        while True:
            message = received.get()
            if message[0] == "failed":
                raise message[1]
            if message[0] == "end":
                break
            writer.add(builder.take_page(*message))
        write_files(Path(message[1]), writer.files(builder.core()))
    except Exception as exc:  # noqa: BLE001 - the build raises it
        result.write(pickle.dumps(exc))
        return 1
    result.write(pickle.dumps(None))
    return 0
