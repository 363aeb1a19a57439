from tests.support.fixtures import db, world

__all__ = ["db", "world"]
