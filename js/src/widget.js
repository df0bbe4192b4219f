// The PlotlyView widget's model and view for @jupyter-widgets/base (the registry of JupyterLab, Notebook 7 and Voila).
import { DOMWidgetModel, DOMWidgetView } from '@jupyter-widgets/base';
import { render } from './view';

export const NAME = 'skelnb-widgets';
export const VERSION = '0.1.0';

export class PlotlyViewModel extends DOMWidgetModel {
  defaults() {
    return {
      ...super.defaults(),
      _model_name: 'PlotlyViewModel', _model_module: NAME, _model_module_version: VERSION,
      _view_name: 'PlotlyViewView', _view_module: NAME, _view_module_version: VERSION,
      state: null, library: null, link_cameras: false,
    };
  }
}

export class PlotlyViewView extends DOMWidgetView {
  render() {
    this.el.classList.add('skelnb-plotly-view');
    this._cleanup = render({ model: this.model, el: this.el }).catch(e => {  // say so in place of the figure, and in the console
      console.error('[skelnb] the view could not start', e);
      this.el.textContent = `skelnb: this figure could not be drawn (${e && e.message ? e.message : e})`;
      return null;
    });
  }
  remove() {
    if (this._cleanup) this._cleanup.then(f => f && f()).catch(() => {});
    return super.remove();
  }
}
