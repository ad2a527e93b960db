package dev.truthline.connect.validation.beans;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A POJO contract: constraints on private fields, getters and setters, nested objects validated with
 * {@code @Valid} on a property and on a list's elements, and a property renamed with {@code @JsonProperty}.
 */
public class Customer {

    @NotBlank
    private String fullName;

    @Email
    private String emailAddress;

    @NotNull
    @Valid
    private Address homeAddress;

    private List<@Valid Address> otherAddresses;

    @Size(max = 3)
    private List<@NotBlank String> tags;

    @JsonProperty("segment_code")
    @Size(min = 2, max = 2)
    private String segment;

    public String getFullName() {
        return fullName;
    }

    public void setFullName(String fullName) {
        this.fullName = fullName;
    }

    public String getEmailAddress() {
        return emailAddress;
    }

    public void setEmailAddress(String emailAddress) {
        this.emailAddress = emailAddress;
    }

    public Address getHomeAddress() {
        return homeAddress;
    }

    public void setHomeAddress(Address homeAddress) {
        this.homeAddress = homeAddress;
    }

    public List<Address> getOtherAddresses() {
        return otherAddresses;
    }

    public void setOtherAddresses(List<Address> otherAddresses) {
        this.otherAddresses = otherAddresses;
    }

    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    public String getSegment() {
        return segment;
    }

    public void setSegment(String segment) {
        this.segment = segment;
    }

    /** A postal address. */
    public record Address(@NotNull @Size(min = 2, max = 2) String countryCode, @NotBlank String city) {
    }
}
