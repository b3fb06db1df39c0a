"""The resource catalogue: which calls acquire a resource, what releases it, and who only borrows it.

Names are the dotted names `Names.resolve` produces (`"sqlite3.connect"`, `"PIL.Image.open"`). Every
factory here returns an object that holds an operating-system resource (a file descriptor, a socket,
a process, a database connection, a thread or process pool) that stays held until it is released.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from awslint.data.calls import FILE_OPENERS


# What a factory returns; `process` is released by waiting for it, `resource` is a user's own factory.
ResourceKind = Literal[
    "file", "directory", "socket", "selector", "connection", "database connection", "session", "pool",
    "executor", "process", "resource",
]


@dataclass(frozen=True)
class Factory:
    """A call that returns a resource.

    `releases` are the methods that release it besides `close` (which releases every kind);
    `with_closes` is False for database connections whose context manager only ends a transaction;
    `needs_pipe` marks `subprocess.Popen`, a resource only when one of its streams is a pipe.
    """

    name: str
    kind: ResourceKind
    releases: tuple[str, ...] = ()
    with_closes: bool = True
    needs_pipe: bool = False
    wraps: bool = False  # may wrap a file object it was given instead of opening one
    in_memory: bool = False  # an archive written over an in-memory buffer: only its normal paths matter
    any_receiver: bool = False  # a user's method of any receiver (`.getconn`)
    # What the resource hands out that keeps it reachable for its owner to close (`client[name]` is a
    # pymongo Database whose `.client` is the connection): the methods, and "[]" for a subscript.
    # Returning or storing such a view hands the resource over. A DB-API cursor is not one: returning
    # `conn.cursor()` leaves the connection to the collector as often as to a caller that closes it.
    views: tuple[str, ...] = ()


    @property
    def short(self) -> str:
        """How the message spells the call: the last component (`connect`, `NamedTemporaryFile`)."""
        return self.name.rsplit(".", 1)[-1]


def _files(kind: ResourceKind, *names: str, releases: tuple[str, ...] = (),
           views: tuple[str, ...] = ()) -> tuple[Factory, ...]:
    return tuple(Factory(n, kind, releases, views=views) for n in names)


_FILE = ("detach",)
# Openers that may wrap a file object they were given instead of opening one (`gzip.open(fileobj)`).
_WRAPPERS = frozenset({
    "gzip.open", "gzip.GzipFile", "bz2.open", "bz2.BZ2File", "lzma.open", "lzma.LZMAFile", "tarfile.open",
    "tarfile.TarFile", "tarfile.TarFile.open", "zipfile.ZipFile", "zipfile.PyZipFile", "wave.open", "aifc.open",
    "sunau.open", "PIL.Image.open",
})
_SMTP = ("quit",)
_POOL = ("terminate", "join")
_POPEN = ("wait", "communicate", "kill", "terminate")

FACTORIES: tuple[Factory, ...] = (
    *_files(
        "file",
        *sorted(FILE_OPENERS - _WRAPPERS),
        "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile", "tempfile.SpooledTemporaryFile",
        "dbm.open", "dbm.gnu.open", "dbm.ndbm.open", "dbm.dumb.open",
        "shelve.open", "shelve.DbfilenameShelf", "mmap.mmap",
        releases=_FILE,
    ),
    *(Factory(n, "file", _FILE, wraps=True) for n in sorted(_WRAPPERS)),
    Factory("tempfile.TemporaryDirectory", "directory", ("cleanup",)),
    *_files(
        "socket",
        "socket.socket", "socket.create_connection", "socket.create_server", "socket.fromfd",
        "ssl.wrap_socket", "ssl.SSLSocket",
        releases=("detach",),
    ),
    *_files(
        "selector",
        # (SelectSelector and PollSelector hold no descriptor: closing them only forgets the map)
        "selectors.DefaultSelector", "selectors.EpollSelector", "selectors.KqueueSelector", "selectors.DevpollSelector",
        "select.epoll", "select.kqueue", "select.devpoll",
    ),
    *_files(
        "connection",
        "urllib.request.urlopen", "http.client.HTTPConnection", "http.client.HTTPSConnection",
        "telnetlib.Telnet",
    ),
    *_files("connection", "ftplib.FTP", "ftplib.FTP_TLS", "smtplib.SMTP", "smtplib.SMTP_SSL",
            "smtplib.LMTP", "poplib.POP3", "poplib.POP3_SSL", "nntplib.NNTP", "nntplib.NNTP_SSL",
            releases=_SMTP),
    *_files("connection", "imaplib.IMAP4", "imaplib.IMAP4_SSL", "imaplib.IMAP4_stream",
            releases=("logout", "shutdown")),
    Factory("subprocess.Popen", "process", _POPEN, needs_pipe=True),
    *_files("pool", "multiprocessing.Pool", "multiprocessing.pool.Pool", "multiprocessing.pool.ThreadPool",
            "multiprocessing.dummy.Pool", releases=_POOL),
    *_files("executor", "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
            "concurrent.futures.thread.ThreadPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor",
            releases=("shutdown",)),
    # database connections whose `with` commits or rolls back and leaves the connection open
    *(
        Factory(n, "database connection", with_closes=False)
        for n in ("sqlite3.connect", "sqlite3.dbapi2.connect", "psycopg2.connect", "pyodbc.connect",
                  "cx_Oracle.connect", "oracledb.connect")
    ),
    # database connections whose `with` closes them
    *_files("database connection", "psycopg.connect", "pymysql.connect", "MySQLdb.connect",
            "mysql.connector.connect", "pymssql.connect", "duckdb.connect"),
    *_files("session", "requests.Session", "requests.session", "requests.sessions.Session",
            "httpx.Client", "urllib3.PoolManager", releases=("clear",)),
    *_files("session", "httpx.AsyncClient", "aiohttp.ClientSession", releases=("aclose",)),
    *_files("file", "h5py.File", "serial.Serial", "smart_open.open", "fitz.open", "aiofiles.open"),
    # asyncio database connections: `await aiosqlite.connect(p)`'s `async with` closes it
    *_files("database connection", "aiosqlite.connect", "asyncpg.connect"),
    *_files("connection", "websocket.create_connection"),
    *_files("connection", "paramiko.SSHClient", "paramiko.Transport", "pika.BlockingConnection",
            "ftputil.FTPHost", releases=("disconnect",)),
    *_files("connection", "pymongo.MongoClient", "pymongo.mongo_client.MongoClient", releases=("disconnect",),
            views=("[]", "get_database", "get_default_database")),
)

FACTORY_BY_NAME: dict[str, Factory] = {f.name: f for f in FACTORIES}

# Methods that open a resource on an object the same expression constructs (`Path(p).open()`): the
# constructor's dotted name and the method, and the factory the call is.
_PATH_OPEN = Factory("pathlib.Path.open", "file", _FILE)
CONSTRUCTED_FACTORIES: dict[tuple[str, str], Factory] = {
    (cls, "open"): _PATH_OPEN for cls in ("pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath")
}

# Methods that return a resource whatever their receiver (the receiver is an `SSLContext`).
METHOD_FACTORIES: dict[str, Factory] = {
    "wrap_socket": Factory("ssl.SSLContext.wrap_socket", "socket", ("detach",)),
}

# What a user-declared factory (the `resource-factories` option) may be released with.
USER_RELEASES: tuple[str, ...] = (
    "quit", "logout", "shutdown", "terminate", "release", "disconnect", "dispose", "cleanup", "aclose",
    "detach",
)

# Every resource is released by these methods.
ALWAYS_RELEASES: frozenset[str] = frozenset({"close", "__exit__", "aclose"})

# The words that make a function's name say it releases its argument: `close_quietly(x)`,
# `closeQuietly(x)`, `close_all(x)`, `cleanup(x)`, `dispose(x)`, `safe_release(x)`.
RELEASE_WORDS: frozenset[str] = frozenset({
    "close", "closes", "cleanup", "clean", "dispose", "release", "releases", "shutdown", "teardown",
    "destroy", "disconnect", "finalize", "terminate", "closing", "closeall",
})

# Functions that release whatever they are given (besides those named for it).
RELEASE_FUNCTIONS: frozenset[str] = frozenset({
    "contextlib.closing", "contextlib.aclosing", "os.close",
})

# Methods of another object that take over the release: `stack.enter_context(f)`,
# `stack.push(f)`, `stack.enter_async_context(f)`.
RELEASING_METHODS: frozenset[str] = frozenset({"enter_context", "enter_async_context", "push_async_exit"})

# Methods of another object that store their argument in it (`files.append(f)`): a hand-over.
STORING_METHODS: frozenset[str] = frozenset({
    "append", "appendleft", "extend", "insert", "add", "put", "put_nowait", "setdefault", "update",
    "push", "register", "setattr", "__setitem__", "set",
})

# Callees that read or write a resource but never keep or close it.
BORROWERS: frozenset[str] = frozenset({
    "json.load", "json.dump", "pickle.load", "pickle.dump", "marshal.load", "marshal.dump",
    "csv.reader", "csv.writer", "csv.DictReader", "csv.DictWriter", "yaml.load", "yaml.safe_load",
    "yaml.dump", "yaml.safe_dump", "yaml.full_load", "tomllib.load", "tomli.load", "plistlib.load",
    "plistlib.dump", "shutil.copyfileobj", "print", "list", "tuple", "set", "frozenset", "sorted",
    "sum", "enumerate", "zip", "map", "filter", "any", "all", "next", "iter", "len", "isinstance",
    "str", "repr", "bytes", "dict", "min", "max", "reversed", "hasattr", "getattr", "id", "hash",
    "type", "bool", "vars", "dir", "callable", "os.fstat", "os.fsync", "fcntl.flock", "fcntl.fcntl",
    "fcntl.lockf", "itertools.islice", "itertools.chain", "select.select", "hashlib.file_digest",
    # parsers and writers that read the whole stream (or write to it) and close only what they opened
    "xml.etree.ElementTree.parse", "xml.etree.cElementTree.parse", "xml.dom.minidom.parse",
    "defusedxml.ElementTree.parse", "lxml.etree.parse", "email.message_from_file",
    "email.message_from_binary_file", "base64.encode", "base64.decode", "yaml.dump_all",
    "yaml.safe_dump_all", "toml.load", "toml.dump", "tomli_w.dump",
    # the blocking subprocess calls: the child gets its own copy of a file given as a stream, and the
    # call returns once the child has exited, keeping nothing (Popen, whose child runs on, is not one)
    "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
})

# Borrowers called as methods of a string: `"".join(f)`.
BORROWER_METHODS: frozenset[str] = frozenset({"join", "writelines"})
# Borrowers that only wrap the object to read or write it later, and methods that only ask where it
# stands: neither does I/O when called, so a message names another raising step of the path first.
WRAPPING_BORROWERS: frozenset[str] = frozenset({
    "csv.reader", "csv.writer", "csv.DictReader", "csv.DictWriter", "iter", "enumerate", "zip", "map",
    "filter", "reversed", "itertools.islice", "itertools.chain", "len", "isinstance", "hasattr", "getattr",
    "id", "hash", "type", "bool", "callable", "repr", "str", "threading.Thread",
})
POSITION_METHODS: frozenset[str] = frozenset({"seek", "tell", "fileno", "isatty", "readable", "writable",
                                              "seekable", "getsockname", "getpeername", "gettimeout",
                                              # a zip archive's directory, read when it was opened
                                              "namelist", "infolist", "getinfo"})
# Methods of a pool that only queue work (`pool.apply_async(fn, args)`): the work fails later, in a
# worker, where `get()` or `map()` hears of it.
QUEUEING_METHODS: frozenset[str] = frozenset({"apply_async", "map_async", "starmap_async", "submit"})
# Methods of a plain container held by the resource (`session.headers.update(...)`,
# `session.proxies.setdefault(...)`): configuring it in memory, not I/O.
HELD_CONTAINER_METHODS: frozenset[str] = frozenset({
    "update", "setdefault", "append", "extend", "insert", "add", "pop", "get", "clear", "copy",
})
# Methods that take an executor as their first argument and only submit work to it
# (`loop.run_in_executor(pool, fn, *args)`); the later arguments go to the function, which keeps them.
EXECUTOR_BORROWERS: frozenset[str] = frozenset({"run_in_executor"})

# Factories whose object, when only its `.name` is read, is finalised at once and deletes what it made
# (`tempfile.NamedTemporaryFile().name`): a dangling path, not a leak.
FINALISED_FOR_NAME: frozenset[str] = frozenset({"tempfile.NamedTemporaryFile", "tempfile.TemporaryDirectory"})

# A process's own pipes: reading or writing them is talking to the child, not a step that leaves the
# process behind (`out = proc.stdout.read()` then `proc.wait()` is the idiom, not a leak on exception).
PROCESS_STREAMS: frozenset[str] = frozenset({"stdin", "stdout", "stderr"})

# The methods of a pipe that return what the child wrote (`fileno()`, `write()`, `close()` do not).
PROCESS_READS: frozenset[str] = frozenset({"read", "readline", "readlines", "read1", "readinto", "peek", "__next__"})

# Writing to the program's own standard streams: echoing what the child said, as a terminal would show
# it, is part of that conversation too (`sys.stdout.write(proc.stdout.readline().decode())`).
PROCESS_ECHOES: frozenset[str] = frozenset({
    "sys.stdout.write", "sys.stderr.write", "sys.stdout.flush", "sys.stderr.flush", "print",
})

# Methods that send what they are given to a remote service (`s3.upload_fileobj(proc.stdout, ...)`):
# handed a child's pipe they read it, but fail for reasons of their own (the network, the service),
# which leaves the child blocked on the pipe unless a `finally` waits for it.
REMOTE_CONSUMERS: frozenset[str] = frozenset({"upload_fileobj", "put_object", "upload_part"})

# The program's own standard streams, the object a function falls back on when it is given no path
# (`fh = open(path) if path else sys.stdin`): never the function's to close, and never identical to a
# file it opened, so `if fh is not sys.stdin: fh.close()` closes exactly the file it opened.
STANDARD_STREAMS: frozenset[str] = frozenset({
    "sys.stdin", "sys.stdout", "sys.stderr", "sys.stdin.buffer", "sys.stdout.buffer", "sys.stderr.buffer",
    "sys.__stdin__", "sys.__stdout__", "sys.__stderr__",
})

# Calls that keep what they are given beyond the call itself, besides constructors and the storing
# methods: a resource inside a display passed to them is not dropped when the call returns.
KEEPING_CALLS: frozenset[str] = frozenset({
    "submit", "apply_async", "map_async", "starmap_async", "run_in_executor", "create_task",
    "ensure_future", "start_new_thread", "call_soon", "call_later", "call_soon_threadsafe", "partial",
    "setattr", "enter_context", "callback",
})
