"""The app's pages, one module per concern; each registers an APIRouter whose route names appear in
:data:`oda.web.permissions.RULES`."""
