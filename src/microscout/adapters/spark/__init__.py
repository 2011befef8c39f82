"""The Spark engine: a session from the settings, the lake's tables as Spark views, the
warehouse's queries translated to Spark SQL, and the text model run on the executors.

pyspark is an optional dependency (``pip install 'microscout[spark]'``, and Java 17): only
``microscout score --engine spark`` imports these modules.
"""
