package io.evhttp.spring.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * Caps on what a request may send; crossing one answers 413 (414 or 431 for the head).
 */
public class EvHttpLimits {

	/**
	 * Longest request line.
	 */
	private DataSize requestLine = DataSize.ofKilobytes(8);

	/**
	 * Largest header section.
	 */
	private DataSize headerSection = DataSize.ofKilobytes(16);

	/**
	 * Most header fields.
	 */
	private int headerCount = 100;

	/**
	 * Longest form field name (query, urlencoded or multipart).
	 */
	private DataSize fieldName = DataSize.ofKilobytes(4);

	/**
	 * Longest form field value in a body.
	 */
	private DataSize fieldValue = DataSize.ofKilobytes(50);

	/**
	 * Longest query parameter value.
	 */
	private DataSize queryValue = DataSize.ofKilobytes(4);

	/**
	 * Most fields in a query or a form.
	 */
	private int fields = 1000;

	/**
	 * Largest header section of one multipart part.
	 */
	private DataSize partHeaders = DataSize.ofKilobytes(8);

	/**
	 * Most parts in one multipart body.
	 */
	private int parts = 1000;

	/**
	 * Most bytes before the first delimiter of a multipart body (its preamble; clients
	 * send none).
	 */
	private DataSize preamble = DataSize.ofKilobytes(8);

	/**
	 * Largest uploaded file; no limit when unset.
	 */
	private DataSize file;

	/**
	 * Largest request body; no limit when unset.
	 */
	private DataSize request;

	public DataSize getRequestLine() {
		return this.requestLine;
	}

	public void setRequestLine(DataSize requestLine) {
		this.requestLine = requestLine;
	}

	public DataSize getHeaderSection() {
		return this.headerSection;
	}

	public void setHeaderSection(DataSize headerSection) {
		this.headerSection = headerSection;
	}

	public int getHeaderCount() {
		return this.headerCount;
	}

	public void setHeaderCount(int headerCount) {
		this.headerCount = headerCount;
	}

	public DataSize getFieldName() {
		return this.fieldName;
	}

	public void setFieldName(DataSize fieldName) {
		this.fieldName = fieldName;
	}

	public DataSize getFieldValue() {
		return this.fieldValue;
	}

	public void setFieldValue(DataSize fieldValue) {
		this.fieldValue = fieldValue;
	}

	public DataSize getQueryValue() {
		return this.queryValue;
	}

	public void setQueryValue(DataSize queryValue) {
		this.queryValue = queryValue;
	}

	public int getFields() {
		return this.fields;
	}

	public void setFields(int fields) {
		this.fields = fields;
	}

	public DataSize getPartHeaders() {
		return this.partHeaders;
	}

	public void setPartHeaders(DataSize partHeaders) {
		this.partHeaders = partHeaders;
	}

	public int getParts() {
		return this.parts;
	}

	public void setParts(int parts) {
		this.parts = parts;
	}

	public DataSize getPreamble() {
		return this.preamble;
	}

	public void setPreamble(DataSize preamble) {
		this.preamble = preamble;
	}

	public DataSize getFile() {
		return this.file;
	}

	public void setFile(DataSize file) {
		this.file = file;
	}

	public DataSize getRequest() {
		return this.request;
	}

	public void setRequest(DataSize request) {
		this.request = request;
	}

}
