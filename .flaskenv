# Read by the `flask` command only (python-dotenv); gunicorn never sees it, so production
# must set TRACKER_CONFIG=production itself. Real environment variables win over these.
FLASK_APP=wsgi
TRACKER_CONFIG=development
