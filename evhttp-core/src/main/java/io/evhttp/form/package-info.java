/**
 * {@link io.evhttp.form.FormLimits}, the limits on query strings and urlencoded bodies.
 * Their decoder lives in {@code io.evhttp.internal.form}.
 */
package io.evhttp.form;
