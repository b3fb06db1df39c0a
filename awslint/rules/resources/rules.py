"""The resource rules (AWS101–AWS104): what each finds, why, its examples, and the family's options."""
from __future__ import annotations

from awslint.rule import Option, Rule


class ResourceNotClosed(Rule):
    """
    ## What it finds

    A file, socket, connection, process or pool bound to a local name that some normal path through
    the function (a branch, an early `return`, a `break` or `continue`, rebinding the name or `del` of it, the next
    iteration of a loop) neither releases nor hands over to an owner (returns it, also as a walrus,
    `return (fh := gzip.open(p))`, yields it, stores
    it in an attribute or container, or gives it to a function that may keep it, also inside a
    display given straight to the call, `Thread(target=work, args=(q, out))`; returning a
    pymongo client's `client[name]` hands the client over with the Database that holds it). A function of the
    same module that only reads or writes what it is given (`_parse(fh)` whose body calls
    `json.load(fh)` and `fh.readline()`) borrows it, as `json.load` does: the caller still owns it;
    so does `loop.run_in_executor(pool, fn)`, which submits work to the executor and keeps it not.
    A piped `subprocess.Popen` is released by `wait()`, `communicate()` or `kill()`, and by a loop
    that goes on until `poll()` says the child has exited (`while code is None: ...; code =
    p.poll()`, `if p.poll() is not None: break`), here or in a helper it is given.
    A name that holds the file it opened or a standard stream (`fh = open(path) if path else
    sys.stdin`) owns the file only when the test chose it: closing it behind `if fh is not
    sys.stdin`, `if out not in (sys.stdout, sys.stderr)` or the same test (`if path:`) releases it,
    and the fix offered closes it only when it is not the stream, since `with` would close that too.

    ## Why is this bad?

    Each leaked object holds an operating-system resource until the garbage collector happens to
    finalise it: on busy or long-running processes, services run out of file descriptors or
    connection slots, and written data may never be flushed. The paths that leak are the ones tests
    rarely take. A `with` statement releases the resource on every path.

    ## Where it reports

    At the call that acquires the resource, in product and test code alike. A module-level resource
    bound to a global name lives as long as the program and is not reported. An archive written over
    an in-memory buffer (`ZipFile(io.BytesIO(), "w")`) or over a file object it was given
    (`GzipFile(fileobj=raw, mode="wb")`) that is never closed is reported: it holds no descriptor of
    its own, but its `close()` writes the end of the archive.

    ## References

    - [The `with` statement](https://docs.python.org/3/reference/compound_stmts.html#the-with-statement)
    - [`contextlib.closing`](https://docs.python.org/3/library/contextlib.html#contextlib.closing)
    """

    code = "AWS101"
    name = "resource-not-closed"
    msgid = "W7311"
    needs = frozenset({"cfg"})
    title = "Resource is not released on every path"
    message = "`{var}` opened at line {line} is not closed {where}; {fix}"
    INVALID = (
        '''
def read_lines(path):
    lines = []
    f = open(path, encoding="utf-8")  # expect: AWS101
    for line in f:
        lines.append(line.rstrip("\\n"))
    return lines
''',
        '''
import socket

def first_open_port(host, ports):
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # expect: AWS101
        if s.connect_ex((host, port)) == 0:
            return port
        s.close()
    return None
''',
    )
    VALID = (
        '''
def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\\n") for line in f]
''',
        '''
import socket

def first_open_port(host, ports):
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            if s.connect_ex((host, port)) == 0:
                return port
    return None
''',
    )


class ResourceLeakOnException(Rule):
    """
    ## What it finds

    A resource that the function releases on every normal path, but not protected by `with` or
    `try`/`finally`: an exception raised between acquiring and releasing it (a call that fails, an
    explicit `raise`) leaves the function, or reaches a handler from which the function exits,
    without the release. An `except` that releases and re-raises covers what it names (`except
    Exception` and a bare `except` cover all); a cleanup step before the release there or in a
    `finally` (`conn.rollback()` before `conn.close()`) failing is a second failure, not reported.

    ## Why is this bad?

    The exceptional path is exactly the one under load or failure: a retry loop that keeps raising
    leaks one connection or file per attempt until the process runs out of them. `with` (or closing
    in `finally`) releases the resource whichever way the block is left.

    ## Where it reports

    At the call that acquires the resource, in product and test code alike, when something between
    acquiring and releasing it can raise (a call, a subscript of a value the function did not build,
    `raise`, `assert`, `await`, a `yield` in a `@contextmanager` generator). A `yield` elsewhere is
    not such a step (whoever drives a plain generator or a pytest fixture resumes it there), nor is
    reading a plain attribute of the resource (`f.name`, `resp.status`, `proc.pid`). In-memory objects
    (`io.BytesIO`, archives over such a buffer, an anonymous `mmap`) are not reported, nor a process
    whose only unreleased path is the timeout of `communicate(timeout=)`/`wait(timeout=)` (AWS105).
    Once the function talks to a piped process (reads or writes its streams, hands them on), what
    can fail is that conversation, which its `communicate()` or `wait()` ends, and AWS106/AWS105
    name what goes wrong there. Working on what the child said (`line.decode().split()`), keeping it
    (`lines.append(line)`) and echoing it to the program's own streams belong to that conversation.
    What is no part of it, and is reported: an explicit `raise` of the function's own before the
    wait, and a call of the program's own handed what was read (`parse(line)` for each line of
    `proc.stdout`, `json.loads(out)`), which may raise with the child still running; nor is a step
    that can fail for reasons of its own even when it is handed a pipe: a helper of the module with
    a `raise` of its own (`_wait_for_banner(proc.stdout, ...)` giving up with `TimeoutError`), or an
    upload of the stream to a remote service (`s3.upload_fileobj(proc.stdout, bucket, key)`). A step
    some path reaches before the function has said anything to the child is no part of it either:
    in a `while True:` loop that probes a port and only then polls the child, the probe's first turn
    fails with nothing said yet (the loop's own test stays part of the conversation it repeats).

    The message names the step most likely to fail: an operation on the resource, then a call it
    is handed to, then an explicit `raise`; a call that does no I/O (`csv.writer(fh)`, `fh.seek(0)`,
    a pool's `apply_async()` that only queues work, `s.headers.update()` on a container the
    resource holds) or the iteration of a list already at hand comes last. A path that runs off the end of the
    function names its last statement, the loop that ends or the test that sends it there. When the
    function returns or stores the resource once all went well (`return conn`, `self.process =
    proc`), the fix releases it in an `except` handler that re-raises (or a `finally` that checks a
    flag, as below), since `with` would release what it hands on. For a
    `NamedTemporaryFile(delete=False)` the fix adds that the file stays after `close()`, and asks to
    remove it too unless the function hands its path on (returns or stores `tmp.name`, gives it to a
    constructor).

    ## References

    - [The `try` statement](https://docs.python.org/3/reference/compound_stmts.html#the-try-statement)
    """

    code = "AWS102"
    name = "resource-leak-on-exception"
    msgid = "W7312"
    needs = frozenset({"cfg"})
    title = "Resource is not released when an exception is raised"
    message = "`{var}` opened at line {line} is not closed when {event}; {fix}"
    INVALID = (
        '''
import sqlite3

def get_connection(db_path, retries=3):
    for attempt in range(retries):
        conn = sqlite3.connect(db_path)  # expect: AWS102
        if not validate_connection(conn):
            close_quietly(conn)
        else:
            return conn
    raise RuntimeError("no valid connection")
''',
        '''
def load_template(path):
    f = open(path, encoding="utf-8")  # expect: AWS102
    text = f.read()
    f.close()
    return text
''',
    )
    VALID = (
        '''
import sqlite3

def get_connection(db_path, retries=3):
    for attempt in range(retries):
        conn = sqlite3.connect(db_path)
        acquired = False
        try:
            if validate_connection(conn):
                acquired = True
                return conn
        finally:
            if not acquired:
                close_quietly(conn)
    raise RuntimeError("no valid connection")
''',
        '''
def load_template(path):
    f = open(path, encoding="utf-8")
    try:
        return f.read()
    finally:
        f.close()
''',
    )


class ResourceNotBound(Rule):
    """
    ## What it finds

    A resource used inline and never closed: `open(p).read()`, `json.load(open(p))`,
    `for line in open(p):`, `yield from open(p)`, `print(*open(p))`, `shelve.open(p)[key]`, a
    factory call whose result is discarded. The touch idiom `open(p, "a").close()` is fine.

    ## Why is this bad?

    Nothing holds the object, so nothing can close it: the file descriptor stays open until the
    garbage collector finalises the object, which on PyPy or with reference cycles may be much
    later, and written data may be lost. CPython also warns with `ResourceWarning`.

    ## Where it reports

    At the factory call, in product and test code alike, and at module level too. A file inside a
    display that is only a call's argument (`requests.put(url, files={"f": open(p)})`) is reported;
    `tempfile.NamedTemporaryFile().name` and `TemporaryDirectory().name` are not (the object is
    finalised at once). A discarded call in a `try` with handlers is a probe that wants the failure,
    and is not reported, in test code (`try: open("missing")` / `except FileNotFoundError: pass`)
    and wherever its success path fails (`else: self.fail(...)`, `raise` after it); in product code
    a probe that may succeed (`try: socket.create_connection(addr)` / `except OSError: return False`
    / `return True`) drops an open socket and is reported. Nor is a call under `with
    mock.patch(...)` or a helper named for mocking (`with self.mocked_socket_module():`): what it
    calls is replaced.
    """

    code = "AWS103"
    name = "resource-not-bound"
    msgid = "W7313"
    needs = frozenset({"cfg", "testcode"})
    title = "Resource used inline is never closed"
    message = "`{call}(...)` at line {line} {how} and never closed; {fix}"
    INVALID = (
        '''
import json

def load_profile(path):
    return json.load(open(path))  # expect: AWS103
''',
        '''
def count_errors(log_path):
    return sum(1 for line in open(log_path) if " ERROR " in line)  # expect: AWS103
''',
    )
    VALID = (
        '''
import json

def load_profile(path):
    with open(path) as fh:
        return json.load(fh)
''',
        '''
def touch(path):
    open(path, "a").close()
''',
    )


class ConnectionNotClosedByWith(Rule):
    """
    ## What it finds

    A database connection (`sqlite3.connect`, `psycopg2.connect`, `pyodbc.connect` …) used as a
    `with` item and never closed.

    ## Why is this bad?

    The context manager of these connections commits or rolls back the transaction and leaves the
    connection open, unlike a file's. Code that looks as safe as `with open(...)` leaks one
    connection per call. Wrap it in `contextlib.closing`, or close it in `finally`.

    ## Where it reports

    At the `connect` call in the `with`, in product and test code alike.

    ## References

    - [sqlite3: how to use the connection context manager](https://docs.python.org/3/library/sqlite3.html#sqlite3-connection-context-manager)
    """

    code = "AWS104"
    name = "connection-not-closed-by-with"
    msgid = "W7314"
    needs = frozenset({"cfg"})
    title = "Database connection's `with` does not close it"
    message = (
        "{var} from `{call}()` at line {line} is never closed: its `with` only commits or rolls back; "
        "use `with contextlib.closing({call}(...)) as {name}:`"
    )
    INVALID = (
        '''
import sqlite3

def save_settings(path, settings):
    with sqlite3.connect(path) as db:  # expect: AWS104
        db.executemany("REPLACE INTO settings VALUES (?, ?)", settings.items())
''',
    )
    VALID = (
        '''
import contextlib
import sqlite3

def save_settings(path, settings):
    with contextlib.closing(sqlite3.connect(path)) as db:
        with db:
            db.executemany("REPLACE INTO settings VALUES (?, ?)", settings.items())
''',
    )


OPTIONS = (
    Option(
        "resource-factories",
        "extra functions or classes whose result must be closed, as dotted names (`mylib.connect`), methods of "
        "a class (`Engine.connect`: on a receiver the module shows is an `Engine`) or of any receiver "
        "(`.getconn`)",
    ),
    Option(
        "release-functions",
        "extra functions that release the resource passed to them, as dotted names (`mylib.release`), methods "
        "of a class (`Pool.putconn`) or of any receiver (`.putconn`)",
    ),
)
