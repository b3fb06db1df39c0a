"""What the injection analysis knows about the world, as tables: sources, configuration, propagators,
sanitizers, sinks and the frameworks whose entry points receive external input.

The analysis (`awslint.analysis.taint*`) reads these tables and knows no API by name itself, so adding a
source, a propagator or a framework is a row here. Names are resolved dotted names (`os.path.join`)
unless the table says it holds method or attribute names. A propagator says which arguments flow into
its result (CodeQL's `Argument[0] -> ReturnValue`), not "every argument".
"""
from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- what kinds of input are called in messages
# (noun phrases: "built from `event['file']` (the Lambda event, line 3)", "`x` comes from the Lambda event")

USER_INPUT = "user input"
ARGV = "command-line arguments"
STDIN = "standard input"
LAMBDA_EVENT = "the Lambda event"
WEB = "a web request"
ROUTE = "a route parameter"
S3_OBJECT = "an S3 object"
SOCKET_DATA = "data received from a socket"
HTTP = "an HTTP response"
QUEUE = "a queue message"
CONFIGURED = "a configured source"
# configuration: not external input (SPEC "Configuration is not a source"), at most AWS403
ENVIRON = "configuration: an environment variable"
LOCAL_FILE = "configuration: a local file"
SETTINGS = "configuration: a settings object"

# ---------------------------------------------------------------- sources of external input

# module attributes that are external input
SOURCE_NAMES: dict[str, str] = {
    "sys.argv": ARGV,
    "sys.stdin": STDIN,
    "sys.stdin.buffer": STDIN,
    "flask.request": WEB,
}
# every attribute below these is external input too (`flask.request.args`)
SOURCE_NAME_PREFIXES: dict[str, str] = {"flask.request.": WEB}
# functions whose result is external input
SOURCE_CALLS: dict[str, str] = {
    "input": USER_INPUT,
    "raw_input": USER_INPUT,
    "urllib.request.urlopen": HTTP,
    "urllib2.urlopen": HTTP,
    "flask.request.get_json": WEB,
    "flask.request.get_data": WEB,
    # the (reader, writer) pair of a connection: what the reader reads comes from the peer
    "asyncio.open_connection": SOCKET_DATA,
    "asyncio.open_unix_connection": SOCKET_DATA,
}
# servers that call the function they are given with the (reader, writer) pair of each connection
STREAM_SERVERS = frozenset({"asyncio.start_server", "asyncio.start_unix_server"})
# `requests.get(url)`, `httpx.post(url)`: module functions of HTTP clients that answer with a response
HTTP_MODULES = ("requests", "httpx")
HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
# objects whose `get`/`post` methods answer with an HTTP response
HTTP_CLIENTS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client",
                          "httpx.AsyncClient", "aiohttp.ClientSession", "urllib3.PoolManager"})
# methods whose result is data from the network, whatever the receiver
READ_METHODS: dict[str, str] = {
    "recv": SOCKET_DATA, "recvfrom": SOCKET_DATA, "recv_bytes": SOCKET_DATA, "getresponse": HTTP,
    "receive_message": QUEUE, "receive_messages": QUEUE,
}
# methods that are network reads only when called with one of these keywords (`s3.get_object(Bucket=b, Key=k)`)
KEYWORD_READ_METHODS: dict[str, tuple[frozenset[str], str]] = {
    "get_object": (frozenset({"Bucket", "Key"}), S3_OBJECT),
}
# boto3's resource API: `s3.Object(bucket, key).get()["Body"]` is the object's contents
S3_OBJECT_RESOURCES = frozenset({"Object", "ObjectSummary"})
S3_OBJECT_READS = frozenset({"get"})
# argparse's and optparse's parsers: the result is the command line
ARGPARSE_METHODS = frozenset({"parse_args", "parse_known_args", "parse_intermixed_args"})
# Calls that run a function they are handed, later or elsewhere, with the arguments handed after it: the
# position of the function and of its first argument (`executor.submit(run, cmd)`, `tasks.add_task(run, cmd)`,
# `loop.run_in_executor(None, run, cmd)`, `asyncio.to_thread(run, cmd)`)
DEFERRED_METHODS: dict[str, tuple[int, int]] = {
    "submit": (0, 1), "add_task": (0, 1), "run_in_executor": (1, 2), "call_soon": (0, 1),
    "call_soon_threadsafe": (0, 1), "call_later": (1, 2), "apply_async": (0, -1), "apply": (0, -1),
}
DEFERRED_FUNCTIONS: dict[str, tuple[int, int]] = {"asyncio.to_thread": (0, 1), "functools.partial": (0, 1)}
# `operator.itemgetter("repo")(event)`: a part of what the getter is applied to
ITEM_GETTERS = frozenset({"operator.itemgetter", "operator.attrgetter"})
# `functools.partial(sh, "git")(ref)`: the function it wraps runs with the arguments given to both calls
PARTIAL_FUNCTIONS = frozenset({"functools.partial"})
# `executor.map(run, commands)`, `pool.imap(run, commands)`, `map(run, commands)`: each element is an argument
MAPPING_METHODS = frozenset({"map", "imap", "imap_unordered"})
MAPPING_FUNCTIONS = frozenset({"map"})
# `threading.Thread(target=run, args=(cmd,))`
THREAD_CLASSES = frozenset({"threading.Thread", "multiprocessing.Process", "threading.Timer"})
# `sub.set_defaults(func=cmd_logs)` then `args.func(args)`: the call runs one of the functions so named
DISPATCH_DEFAULTS = frozenset({"set_defaults"})
# where parsers declare their options (for `type=int`/`choices=` checks)
ARGUMENT_DECLARATIONS = frozenset({"add_argument", "add_option"})
CHECKED_ARGUMENT_TYPES = frozenset({"int", "float", "bool", "uuid.UUID"})
CHECKED_OPTPARSE_TYPES = frozenset({"int", "long", "float", "complex"})
CHECKED_ACTIONS = frozenset({"store_true", "store_false", "count"})

# ---------------------------------------------------------------- configuration (not a source)

CONFIG_NAMES: dict[str, str] = {"os.environ": ENVIRON, "os.environb": ENVIRON}
# Settings objects (SPEC: configuration), whose attributes the deployer sets: Django's, and a project's
# own module or object so named (`from app import settings`, `config.DB_NAME`). Another module's
# upper-case name is otherwise taken for a constant.
SETTINGS_OBJECTS = frozenset({"django.conf.settings"})
SETTINGS_NAMES = frozenset({"settings", "config", "conf", "configuration", "cfg"})
CONFIG_CALLS: dict[str, str] = {"os.getenv": ENVIRON, "os.getenvb": ENVIRON}
# The functions that open a file are `awslint.data.calls.FILE_OPENERS`: a local file is configuration,
# a file named by external input (the command line's too) is input.

# `sys.argv[0]` is the program's own path, not an argument anyone passed
PROGRAM_PATH = "sys.argv[0]"
PROGRAM_PATH_WHAT = "the program's own path"

# ---------------------------------------------------------------- frameworks: entry points that receive input

# AWS Lambda: `def handler(event, context)`, `lambda_handler`, `*_handler`
LAMBDA_NAMES = frozenset({"handler", "lambda_handler"})
LAMBDA_SUFFIX = "_handler"
LAMBDA_CONTEXT_NAMES = frozenset({"context", "_context"})
# Flask and FastAPI: `@app.route("/path")`, `@router.get("/items/{id}")`; the path keyword names
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete", "head", "options",
                              "api_route", "websocket"})
ROUTE_PATH_KEYWORDS = frozenset({"rule", "path"})
# Flask's typed URL variables (`<int:n>`) and FastAPI's annotations that convert the text to a value
ROUTE_CONVERTERS = frozenset({"int", "float", "uuid"})
CONVERTED_ANNOTATIONS = frozenset({"int", "float", "bool", "uuid.UUID"})
# `tool: Literal["ping", "dig"]`: the framework accepts only one of the constants written there (else 422)
LITERAL_ANNOTATIONS = frozenset({"typing.Literal", "typing_extensions.Literal"})
# FastAPI parameters filled by dependency injection, not by the request
INJECTED_DEFAULTS = frozenset({"Depends", "Security"})
# click and typer: the parameters are the command line
CLICK_DECORATORS = frozenset({"click.option", "click.argument", "click.command", "click.password_option"})
TYPER_DEFAULTS = frozenset({"typer.Option", "typer.Argument"})
# typer: `app = typer.Typer()` and `@app.command()` / `@app.callback()`, or `typer.run(main)`; every
# parameter of such a function is the command line (typer converts it to its annotation's type)
TYPER_APPS = frozenset({"typer.Typer", "typer.main.Typer"})
TYPER_COMMAND_METHODS = frozenset({"command", "callback"})
TYPER_RUN = frozenset({"typer.run", "typer.main.run"})
# parameters typer and click fill with their own objects, not with the command line
CLI_CONTEXTS = frozenset({"typer.Context", "click.Context", "click.core.Context"})
# `Annotated[int, Query()]`: the type and its metadata (FastAPI, typer)
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
# click converts an option's text to these types (or fails with a usage error) before the command runs
CLICK_CHECKED_TYPES = frozenset({"int", "float", "bool", "uuid.UUID", "click.INT", "click.FLOAT", "click.BOOL",
                                 "click.UUID", "click.IntRange", "click.FloatRange", "click.DateTime",
                                 "click.types.IntRange", "click.types.FloatRange"})
# `type=click.Choice(["a", "b"])`: one of constant words
CLICK_CHOICE = frozenset({"click.Choice", "click.types.Choice"})
# keywords that make an option a flag or a counter: a truth value or a number
CLICK_FLAG_KEYWORDS = frozenset({"is_flag", "count"})
# AWS Chalice: `app.current_request.query_params`
CHALICE_REQUEST_ATTR = "current_request"
# Django's HttpRequest and DRF's Request carry the client's data in these attributes
REQUEST_ATTRS = frozenset({"GET", "POST", "body", "FILES", "COOKIES", "META", "headers", "data",
                           "query_params"})
# the conventional name of a view's request parameter (function views the analysis cannot tell apart)
REQUEST_NAME = "request"
# Django REST framework function views, and the class-based views whose handler methods take the
# request after `self` (SPEC: by position, whatever its name)
API_VIEW_DECORATORS = frozenset({"rest_framework.decorators.api_view", "api_view"})
# Django's own view decorators (`@require_GET`, `@csrf_exempt`, `@login_required`, `@cache_page(60)`)
# wrap function views only: the function they decorate takes the request first
VIEW_DECORATOR_MODULES = ("django.views.decorators.", "django.contrib.auth.decorators.",
                          "django.contrib.admin.views.decorators.")
VIEW_ACTION_DECORATORS = frozenset({"rest_framework.decorators.action", "action"})
VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "dispatch",
                          "list", "create", "retrieve", "update", "partial_update", "destroy"})
# the methods of a Flask view class (`MethodView`, `View`) that receive a rule's URL variables
FLASK_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "dispatch_request"})
VIEW_BASE_MODULES = ("django.views.", "django.contrib.admin.views", "rest_framework.")
VIEW_BASE_SUFFIXES = ("View", "ViewSet", "APIView")

# ---------------------------------------------------------------- propagation


@dataclass(frozen=True)
class Flow:
    """Which arguments of a call flow into its result: positions, keywords, or all of them."""

    positions: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    every: bool = False
    rest: int | None = None  # every positional argument from this one on


ALL = Flow(every=True)
FIRST = Flow((0,))

# Functions that hand back (part of) their arguments: taint flows through them unchanged.
PROPAGATORS: dict[str, Flow] = {
    **{name: FIRST for name in (
        "str", "bytes", "bytearray", "format", "list", "tuple", "set", "frozenset", "sorted", "reversed",
        "iter", "eval", "builtins.eval", "json.loads", "json.load", "ast.literal_eval", "pickle.loads",
        "yaml.safe_load", "yaml.load", "base64.b64decode", "base64.b64encode", "base64.urlsafe_b64decode",
        "base64.standard_b64decode", "base64.b32decode", "base64.b16decode", "base64.decodebytes",
        "binascii.unhexlify", "binascii.a2b_base64", "codecs.decode", "urllib.parse.unquote",
        "urllib.parse.unquote_plus", "urllib.parse.unquote_to_bytes", "urllib.parse.parse_qs",
        "urllib.parse.parse_qsl", "urllib.parse.urlparse", "urllib.parse.urlsplit", "os.path.basename",
        "os.path.dirname", "os.path.abspath", "os.path.normpath", "os.path.realpath", "os.path.expanduser",
        "os.path.expandvars", "os.path.splitext", "os.path.split", "os.fsdecode", "os.fsencode",
        "os.fspath", "textwrap.dedent", "textwrap.shorten", "textwrap.fill", "copy.copy", "copy.deepcopy",
        "ast.parse", "ast.fix_missing_locations", "enumerate", "vars", "html.escape", "html.unescape",
        "shlex.split", "subprocess.list2cmdline", "posixpath.basename", "posixpath.dirname", "posixpath.normpath",
        "ntpath.basename", "string.capwords", "gzip.decompress", "zlib.decompress", "bz2.decompress",
        "lzma.decompress",
    )},
    **{name: ALL for name in (
        "dict", "next", "os.path.join", "posixpath.join", "ntpath.join", "os.path.relpath", "pathlib.Path",
        "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath", "textwrap.indent", "string.Template",
        "zip", "urllib.parse.urljoin", "urllib.parse.urlunparse", "urllib.parse.urlunsplit",
        "collections.ChainMap",
    )},
    "typing.cast": Flow((1,), ("val",)),
    "map": Flow(rest=1),
    "filter": Flow((1,)),
    "unicodedata.normalize": Flow((1,), ("unistr",)),
    "time.strftime": FIRST,
    # AWS Glue's parser of a job's arguments (`getResolvedOptions(sys.argv, ["bucket"])`): the options of
    # the command line it is given, as parse_args() is
    "awsglue.utils.getResolvedOptions": Flow((0,), ("args",)),
    "re.sub": Flow((1, 2), ("repl", "string")),
    "re.split": Flow((1,), ("string",)),
    "re.findall": Flow((1,), ("string",)),
}
# results that are a container (of constants, an allow-list) or a list whose leading elements are known
CONTAINER_RESULTS = frozenset({"set", "frozenset", "dict", "sorted"})
SEQUENCE_RESULTS = frozenset({"list", "tuple"})
# functions whose result holds the elements of their first argument (what each element is stays known)
ELEMENT_KEEPING = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter"})
# `enumerate(steps)`: pairs of a number and an element
ENUMERATE = "enumerate"
# a method read as an attribute (`req.branch`): its value is what the method returns
PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
# methods of a list that hand back one of its elements (`steps.pop()`)
ELEMENT_METHODS = frozenset({"pop"})
# a quoted literal of the value: still text a shell would interpret, data to Python code
LITERAL_CALLS = frozenset({"repr", "ascii", "pprint.pformat", "json.dumps"})

# String, bytes and container methods whose result holds these arguments (the receiver always flows).
ARGUMENT_METHODS: dict[str, Flow] = {
    "format": ALL, "format_map": ALL, "join": ALL, "substitute": ALL, "safe_substitute": ALL, "union": ALL,
    "replace": Flow((1,)), "center": Flow((1,)), "ljust": Flow((1,)), "rjust": Flow((1,)),
    # `COMMANDS.get(key, default)`: the key selects a value, only the default is handed back
    "get": Flow((1,)), "pop": Flow((1,)), "setdefault": Flow((1,)), "getlist": Flow((1,)),
    # a compiled pattern's methods hand back pieces of the text they are given (`PATTERN.sub("", text)`)
    "sub": Flow((0, 1), ("repl", "string")), "subn": Flow((0, 1), ("repl", "string")),
    "findall": Flow((0,), ("string",)), "finditer": Flow((0,), ("string",)),
}
# str and bytes methods: of a value with nothing to inject (a checked name, a sanitised one), the result has
# nothing either but what the arguments bring (`name.lower()` after `if name not in ALLOWED: raise`)
STRING_METHODS = frozenset({
    "lower", "upper", "casefold", "title", "capitalize", "swapcase", "strip", "lstrip", "rstrip", "removeprefix",
    "removesuffix", "zfill", "expandtabs", "encode", "decode", "split", "rsplit", "splitlines", "partition",
    "rpartition", "replace", "center", "ljust", "rjust", "join", "format", "translate",
})
# pathlib's methods that make another path of the receiver and their arguments (a path built from constants
# stays one: `Path(__file__).resolve().parent / "bin"`); reading the file is another matter
PATH_METHODS = frozenset({"resolve", "absolute", "as_posix", "expanduser", "joinpath", "with_name", "with_suffix",
                          "with_stem", "relative_to"})
# methods that store their arguments in the receiver
MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "appendleft",
                      "extendleft", "__setitem__"})
# methods that may move another element to the front of a list
REORDER = frozenset({"pop", "remove", "reverse", "sort", "insert", "appendleft", "extendleft", "clear",
                     "rotate"})
# the split methods that take a command line apart into words
SPLITTERS = frozenset({"shlex.split", "str.split"})
# keywords that leave the words where whitespace puts them (`shlex.split(cmd, posix=True)`)
SPLIT_KEYWORDS = frozenset({"posix", "comments"})

# ---------------------------------------------------------------- values with nothing to inject

SANITIZERS = frozenset({"shlex.quote", "shlex.join", "pipes.quote", "int", "float", "bool",
                        "uuid.UUID", "complex",
                        # file names and slugs of `[A-Za-z0-9_.-]` (word characters) only: nothing a shell parses
                        "werkzeug.utils.secure_filename", "werkzeug.secure_filename",
                        "django.utils.text.get_valid_filename", "django.utils.text.slugify"})
# The last name of a function named for quoting a shell word, wherever it comes from: a project's compat
# module that re-exports `shlex.quote` as `shell_quote` (aws-sso-util), or its own `shell_join`.
SANITIZER_NAMES = frozenset({"shell_quote", "shell_join", "shellquote", "sh_quote", "quote_shell",
                             "shlex_quote", "shlex_join", "quote_for_shell", "shell_escape", "escape_shell_arg"})
# classes whose generated `__init__` keeps each argument in the field of its name, in the order the class
# body declares them (`Job(name=body["name"], script=body["script"])`); a pydantic model also converts
# the text of a field annotated `int`, `float`, `bool` (or fails) before the instance exists
RECORD_DECORATORS = frozenset({"dataclasses.dataclass", "attr.dataclass", "attrs.define", "attrs.frozen",
                               "attr.define", "attr.frozen"})
RECORD_BASES = frozenset({"typing.NamedTuple", "typing_extensions.NamedTuple"})
VALIDATING_RECORD_BASES = frozenset({"pydantic.BaseModel"})
# A pydantic model's class methods that build an instance from a mapping or its JSON text
# (`Order.model_validate(event)`): as `Order(**event)`, each field holds the value given for it.
MODEL_PARSERS = frozenset({"model_validate", "model_validate_json", "model_validate_strings", "parse_obj", "parse_raw"})
CLASS_VARIABLE = frozenset({"typing.ClassVar", "dataclasses.InitVar"})
# `Mode(event["mode"])` of a module class deriving from these is one of the members its body declares
# (or raises ValueError): the member's name and value are the class's constants, not the input
ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})
# an Enum's maps of its members by name and by value: `if kind not in Region.__members__: raise`
ENUM_MEMBER_MAPS = frozenset({"__members__", "_member_map_", "_value2member_map_"})
# Builtins and stdlib functions whose result is a number, a truth value or None.
CLEAN_RESULTS = frozenset({
    "len", "abs", "round", "ord", "hash", "id", "isinstance", "issubclass", "hasattr", "callable",
    "print", "setattr", "delattr", "min", "max", "sum", "any", "all", "divmod", "pow",
    "os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.islink", "os.path.isabs",
    "os.path.getsize", "os.path.getmtime", "os.access", "os.getpid", "os.getuid", "os.cpu_count",
    "time.time", "time.monotonic", "time.sleep", "shutil.which", "uuid.uuid4", "uuid.uuid1",
    "re.escape", "exec", "builtins.exec", "range", "os.pipe", "os.open",
    "os.dup", "os.getppid", "os.getgid", "os.geteuid", "msvcrt.get_osfhandle", "random.randint",
    "random.random", "random.randrange", "time.perf_counter", "math.floor", "math.ceil",
    # dates and times: digits, '-', ':', '.', ' ' and 'T', whoever runs the program
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
    "time.localtime", "time.gmtime", "time.time_ns", "time.ctime",
})
# werkzeug's `request.args.get("n", type=int)`, `.getlist("id", type=int)`: the value converted by the
# `type=` callable (or the default when it fails): a number when the type is one of these
TYPED_GETTERS = frozenset({"get", "getlist"})
TYPED_GETTER_KEYWORD = "type"
# Methods of dates and times whose text is made from their arguments (a format) and the date's numbers and
# month names, whatever the date: `datetime.now().strftime("%Y%m%d")` holds nothing a shell parses
DATE_METHODS: dict[str, Flow] = {"strftime": FIRST, "isoformat": ALL, "date": Flow(), "time": Flow(),
                                 "timestamp": Flow(), "ctime": Flow()}
# Methods whose result is a number or a truth value, whatever the receiver holds.
CLEAN_METHODS = frozenset({
    "startswith", "endswith", "isdigit", "isalnum", "isalpha", "isnumeric", "isdecimal", "isidentifier",
    "isspace", "islower", "isupper", "isascii", "istitle", "count", "find", "rfind", "index", "rindex",
    "exists", "is_file", "is_dir", "__len__", "__contains__", "bit_length",
})
# `if not x.isdigit(): raise`: methods whose truth leaves nothing a shell would interpret
SAFE_TEST_METHODS = frozenset({"isdigit", "isdecimal", "isnumeric", "isalnum", "isidentifier", "isalpha"})
# Module attributes that are fixed by the platform, not by whoever runs the program.
CONSTANT_ATTRS = frozenset({"sep", "pathsep", "linesep", "devnull", "curdir", "pardir", "extsep", "altsep",
                            "name", "platform", "PIPE", "STDOUT", "DEVNULL", "maxsize", "byteorder"})
# Set by the interpreter for every module: where it lives, not what anyone sent.
MODULE_DUNDERS = frozenset({"__file__", "__name__", "__package__", "__spec__", "__loader__", "__doc__"})
# the flag that makes `compile()` parse only (like `ast.parse`): it runs nothing
ONLY_AST_FLAG = "PyCF_ONLY_AST"
# a regular expression check: whether the function anchors the pattern at (start, end)
REGEX_ANCHORS: dict[str, tuple[bool, bool]] = {"fullmatch": (True, True), "match": (True, False),
                                               "search": (False, False)}
# Calls that do not return (`if bad: sys.exit()` guards what follows) are `awslint.data.calls.NO_RETURN`
# and `PARSER_EXIT_METHODS`, shared with the control-flow graph.

# ---------------------------------------------------------------- sinks

SUBPROCESS = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}
)
# (argument index, keyword) of the shell command
SHELL_CALLS: dict[str, tuple[int, str]] = {
    "os.system": (0, "command"),
    "os.popen": (0, "cmd"),
    "subprocess.getoutput": (0, "cmd"),
    "subprocess.getstatusoutput": (0, "cmd"),
    "asyncio.create_subprocess_shell": (0, "cmd"),
}
# the keyword of the code
CODE_CALLS: dict[str, str] = {"eval": "source", "exec": "source", "compile": "source", "builtins.eval": "source",
                              "builtins.exec": "source", "builtins.compile": "source"}
# os.exec*/os.spawn*: index of the program; the "v" forms take the argument list next, the "l" forms
# take the arguments themselves.
EXEC: dict[str, int] = {f"os.exec{s}": 0 for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")}
SPAWN: dict[str, int] = {f"os.spawn{s}": 1 for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")}
POSIX_SPAWN: dict[str, int] = {"os.posix_spawn": 0, "os.posix_spawnp": 0}
EXEC_VARARGS = frozenset({"asyncio.create_subprocess_exec"})
OUTDATED = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", *SPAWN})

# programs that run their argument as code: shells (any `-…c` flag) and interpreters (their flags)
PYTHONS = frozenset({"python", "python2", "python3", "pypy", "pypy3"})
SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "csh", "tcsh", "mksh"})
SHELL_FLAG_SUFFIX = "c"  # -c, -lc, -ec, -xc ...
INTERPRETERS: dict[str, tuple[str, ...]] = {
    "python": ("-c",), "python2": ("-c",), "python3": ("-c",), "pypy": ("-c",), "pypy3": ("-c",),
    "node": ("-e", "--eval", "-p"), "perl": ("-e", "-E"), "ruby": ("-e",), "php": ("-r",),
    "cmd": ("/c", "/C", "/k", "/K"), "cmd.exe": ("/c", "/C", "/k", "/K"),
    "powershell": ("-Command", "-command", "-c"), "powershell.exe": ("-Command", "-command", "-c"),
    "pwsh": ("-Command", "-command", "-c"),
}
# `env [-i] PROGRAM ...` runs PROGRAM
ENV_PROGRAM = "env"
# Programs that run the program named after their options (`sudo -u deploy sh -c CMD`, `timeout 30 bash -c CMD`):
# the options among them that take a value, and how many operands come before the program
WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    "sudo": (frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "--user", "--group"}), 0),
    "doas": (frozenset({"-u", "-C"}), 0),
    "nohup": (frozenset(), 0),
    "setsid": (frozenset(), 0),
    "nice": (frozenset({"-n"}), 0),
    "ionice": (frozenset({"-c", "-n", "-p"}), 0),
    "stdbuf": (frozenset({"-i", "-o", "-e"}), 0),
    "timeout": (frozenset({"-s", "-k", "--signal", "--kill-after"}), 1),
    "chroot": (frozenset(), 1),
    "xargs": (frozenset({"-I", "-L", "-n", "-P", "-s", "-d", "-a", "-E", "--max-args", "--max-procs",
                         "--delimiter", "--arg-file", "--max-lines", "--max-chars"}), 0),
    "flock": (frozenset({"-w", "-E", "--timeout", "--conflict-exit-code"}), 1),
    "time": (frozenset({"-f", "-o", "--format", "--output"}), 0),
}
# `sys.executable` is the running Python
PYTHON_EXECUTABLE = "sys.executable"
