"Package metadata comes from settings.ini (the nbdev 2 convention); edit it there."
import shlex
from configparser import ConfigParser
import setuptools
from pathlib import Path

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable']
licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
lic = licenses.get(cfg['license'].lower(), (cfg['license'], None))
lib = cfg['lib_name']

setuptools.setup(
    name=lib, version=cfg['version'], description=cfg['description'],
    keywords=cfg['keywords'], author=cfg['author'], author_email=cfg['author_email'],
    license=lic[0], url=cfg['git_url'],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'],
                 'Programming Language :: Python :: 3.11']
                + (['License :: ' + lic[1]] if lic[1] else []),
    packages=setuptools.find_packages(include=[lib, lib + '.*']),
    include_package_data=True,
    package_data={lib: ['data/resources/*.txt', 'models/weights/*.pt', 'labextension/*.*', 'labextension/static/*']},
    # the dashboards' browser side (built from js/ by tools/build_js.py), where JupyterLab, Notebook 7 and Voila look for it
    data_files=[(f'share/jupyter/labextensions/{ext}', [str(p) for p in sorted(Path(lib, 'labextension', ext_dir).glob('*.*'))])
                for ext, ext_dir in (('skelnb-widgets', '.'), ('skelnb-widgets/static', 'static'))],
    install_requires=shlex.split(cfg.get('requirements', '')),
    extras_require={'dev': shlex.split(cfg.get('dev_requirements', '')), 'pose': shlex.split(cfg.get('pose_requirements', ''))},
    python_requires='>=' + cfg['min_python'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={'console_scripts': cfg.get('console_scripts', '').split(),
                  'nbdev': [f'{lib}={lib}._modidx:d']},
)
