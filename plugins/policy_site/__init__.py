"""Pelican plugin that builds the multilingual policy site."""

__all__ = ["register"]


def register():
    """Pelican calls this: the plugin's modules load only then, so that ``invoke build``
    can first ask ``build_record`` whether there is anything to build."""
    from .registration import register as connect

    connect()
