"""Shared by the browser tests: a Jupyter server on 127.0.0.1 for the length of a `with` block."""
import contextlib, json, os, signal, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_server(work: Path, # scratch folder: work/root is served, settings, workspaces and runtime files go beside it
                   settings: dict, # JupyterLab user settings {plugin file name: values}
                   extra: list = (), # more command-line options
                  ):
    "Start `jupyter-lab` (no token) serving `work/root`, wait until it answers, yield its base URL, stop it (and its kernels)."
    jl = Path(sys.executable).parent / 'jupyter-lab'
    if not jl.exists(): pytest.skip(f'jupyter-lab not found next to {sys.executable} (pip install jupyterlab)')
    for name, val in settings.items():
        p = work / 'settings' / name; p.parent.mkdir(parents=True, exist_ok=True); p.write_text(json.dumps(val))
    port = free_port()
    cmd = [str(jl), '--no-browser', '--ip=127.0.0.1', f'--port={port}', '--IdentityProvider.token=', '--ServerApp.password=',
           '--ServerApp.disable_check_xsrf=True', f'--ServerApp.root_dir={work / "root"}', f'--LabApp.workspaces_dir={work / "ws"}',
           '--LabApp.expose_app_in_browser=True', *extra] + (['--allow-root'] if os.geteuid() == 0 else [])
    env = {**os.environ, 'JUPYTERLAB_SETTINGS_DIR': str(work / 'settings'), 'JUPYTER_RUNTIME_DIR': str(work / 'runtime')}
    log = open(work / 'server.log', 'w')
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work, start_new_session=True)
    base = f'http://127.0.0.1:{port}'
    try:
        t0 = time.time()
        while True:
            if proc.poll() is not None: pytest.fail(f'the Jupyter server exited with {proc.returncode}:\n{(work / "server.log").read_text()[-3000:]}')
            try:
                urllib.request.urlopen(f'{base}/api/status', timeout=2); break
            except OSError:
                if time.time() - t0 > 120: pytest.fail(f'the Jupyter server did not answer on {base} within 120 s')
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()  # the server shuts its kernels down on SIGTERM
        try: proc.wait(30)
        except subprocess.TimeoutExpired: os.killpg(proc.pid, signal.SIGKILL); proc.wait(10)
        log.close()
