import test from 'ava';
import { fineTuneDemo } from '../examples/fine-tune.js';

test('the fine-tuning example: target accuracy climbs well above chance after transfer', (t) => {
  const history = fineTuneDemo({ pretrainEpochs: 1, headEpochs: 2, fineTuneEpochs: 1, log: (l) => t.log(l) });
  t.is(history.length, 4);
  t.true(history.at(-1)! > history[0]! + 0.2 && history.at(-1)! > 0.55, `accuracy by epoch: ${history.map((a) => a.toFixed(2))}`);
});
