from tests.support.fixtures import db, jw_world, world

__all__ = ["db", "jw_world", "world"]
