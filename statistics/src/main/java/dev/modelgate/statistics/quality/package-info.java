/**
 * Model quality from ground truth and its estimation without it: binary, multiclass and regression
 * metrics with confidence intervals, confidence-based performance estimation (CBPE) and one-sided
 * degradation tests. Inputs are the aggregates a database can return (score/label cells, confusion
 * matrices, sums of moments), never rows; no I/O, no clock.
 */
package dev.modelgate.statistics.quality;
