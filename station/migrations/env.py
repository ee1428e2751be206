"""Alembic environment: runs on the engine Station hands over (see station.db.upgrade)."""
from alembic import context

import station.models  # noqa: F401  (registers every table)
from station.db import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` command line during development
    from station.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
