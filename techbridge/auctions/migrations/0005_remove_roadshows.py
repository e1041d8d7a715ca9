# Roadshows became events (techbridge.events); events.0002_copy_roadshows moves them before this runs.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('auctions', '0004_lot_contract_and_room_foreign_keys'),
    ]

    operations = [
        migrations.DeleteModel(
            name='RoadshowRegistration',
        ),
        migrations.DeleteModel(
            name='Roadshow',
        ),
    ]
