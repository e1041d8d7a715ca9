"""``makemessages`` without fuzzy matching.

gettext's fuzzy matching pre-fills a new string with the translation of a similar old one ("Published
demands" → 发布技术需求); with short strings it is wrong more often than right, and a fuzzy entry that
slips through shows the wrong Chinese. New strings start empty and the translation-catalogue tests
insist on them.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
