"""Flask extensions, created unbound and wired in by the application factory."""

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from tracker.client_address import client_key
from tracker.security_log import log_rate_limit_breach

# Stable constraint names, so batch migrations on SQLite and ALTERs on PostgreSQL agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
mail = Mail()
babel = Babel()
# Rendered staff pages, per worker unless CACHE_TYPE says otherwise (see tracker/page_cache.py).
cache = Cache()
# Every breached limit, on any route, is logged with the limit (never its key, an e-mail maybe).
# Limits count per client address, an IPv6 client per /64 (tracker/client_address.py).
limiter = Limiter(key_func=client_key, default_limits=[], on_breach=log_rate_limit_breach)
