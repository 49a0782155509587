from masthead.core.tests.pagecache_fixtures import edge_dir, page_cache  # noqa: F401
