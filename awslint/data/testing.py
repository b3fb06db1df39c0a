"""What marks test code: folders, file names, fixtures, test case classes, mocks of AWS."""
from __future__ import annotations

# A project's root is the nearest folder holding one of these; test folders are judged below it.
PROJECT_MARKERS: tuple[str, ...] = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
TEST_DIRECTORIES: frozenset[str] = frozenset({"tests", "test", "testing"})
# Beside the SPEC's names, the modules of test helpers a package ships for its own tests
# (`awscli/testutils.py`, `pkg/testing.py`): what they run, a test's author chose.
TEST_FILE_PATTERNS: tuple[str, ...] = (
    "test_*.py", "*_test.py", "conftest.py", "testutils.py", "testutil.py", "testing.py",
)

FIXTURE_DECORATORS: frozenset[str] = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
# unittest.TestCase, django's TestCase, DRF's APITestCase, IsolatedAsyncioTestCase ...
TESTCASE_SUFFIX = "TestCase"

# Calls that put boto3 under a mock: moto's `mock_aws` and the per-service `mock_<service>` of older
# releases (any `mock_*` of these modules), and unittest.mock's objects standing in for a client.
MOCK_MODULE_PREFIXES: tuple[str, ...] = ("moto",)
MOCK_CALLS: frozenset[str] = frozenset(
    {
        "moto.mock_aws",
        "unittest.mock.Mock",
        "unittest.mock.MagicMock",
        "unittest.mock.AsyncMock",
        "unittest.mock.NonCallableMagicMock",
        "unittest.mock.create_autospec",
        "unittest.mock.patch",
        "unittest.mock.patch.object",
        "mock.Mock",
        "mock.MagicMock",
        "mock.patch",
        "mock.patch.object",
    }
)
# A client wrapped by botocore's Stubber answers with canned responses.
STUB_CLASSES: frozenset[str] = frozenset({"botocore.stub.Stubber"})
