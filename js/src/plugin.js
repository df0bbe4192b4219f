// JupyterLab plugin: registers skelnb's widgets with the page's widget manager.
import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import { NAME, VERSION, PlotlyViewModel, PlotlyViewView } from './widget';

export default {
  id: 'skelnb-widgets:plugin',
  requires: [IJupyterWidgetRegistry],
  autoStart: true,
  activate: (app, registry) => registry.registerWidget({ name: NAME, version: VERSION, exports: { PlotlyViewModel, PlotlyViewView } }),
};
