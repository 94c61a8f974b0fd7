export { ImageClassifier, InputTooSmallError } from './classifier.js';
