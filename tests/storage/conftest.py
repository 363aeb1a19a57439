from tests.support.fixtures import db

__all__ = ["db"]
